package io.github.llmbatch.servers;

import io.github.llmbatch.wildfly.PostgresDatabase;
import io.github.llmbatch.wildfly.RequiresPostgres;

/**
 * The scenarios on Payara Micro 6 (JBatch): job repository in PostgreSQL through
 * server-config/payara/post-boot-commands.asadmin, users in the file realm, the provider key
 * in the server's environment.
 */
@RequiresPostgres
class PayaraMicroIT extends ServerScenarios {

    @Override
    protected AppServer newServer(PostgresDatabase database) throws Exception {
        return new PayaraMicroServer("payara-micro", databaseByParts(database))
                .user(OPERATOR, OPERATOR_PASSWORD, "llm-batch-operator");
    }

    /** JBatch never marks it FAILED; a restart of it still resumes the instance. */
    @Override
    protected String crashedExecutionStatusAfterReboot() {
        return "STARTED";
    }
}
