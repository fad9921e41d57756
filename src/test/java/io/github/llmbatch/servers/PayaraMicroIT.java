package io.github.llmbatch.servers;

import java.util.Map;

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
        return new PayaraMicroServer("payara-micro", Map.of(
                        "LLMBATCH_DB_HOST", database.host(),
                        "LLMBATCH_DB_PORT", Integer.toString(database.port()),
                        "LLMBATCH_DB_NAME", database.name(),
                        "LLMBATCH_DB_USER", database.user(),
                        "LLMBATCH_DB_PASSWORD", database.password(),
                        "OPENAI_API_KEY", API_KEY))
                .user(OPERATOR, OPERATOR_PASSWORD, "llm-batch-operator");
    }

    /** JBatch never marks it FAILED; a restart of it still resumes the instance. */
    @Override
    protected String crashedExecutionStatusAfterReboot() {
        return "STARTED";
    }
}
