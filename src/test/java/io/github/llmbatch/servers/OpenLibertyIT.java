package io.github.llmbatch.servers;

import io.github.llmbatch.wildfly.PostgresDatabase;
import io.github.llmbatch.wildfly.RequiresPostgres;

/**
 * The scenarios on Open Liberty 26 (its own batch runtime, derived from JBatch): job
 * repository in PostgreSQL through server-config/liberty/server.xml, users in the basic
 * registry, the provider key in the server's environment.
 */
@RequiresPostgres
class OpenLibertyIT extends ServerScenarios {

    @Override
    protected AppServer newServer(PostgresDatabase database) throws Exception {
        return new OpenLibertyServer("open-liberty", databaseByParts(database))
                .user(OPERATOR, OPERATOR_PASSWORD, "llm-batch-operator");
    }

    /** Liberty's recovery marks the executions it was running FAILED when it starts again. */
    @Override
    protected String crashedExecutionStatusAfterReboot() {
        return "FAILED";
    }
}
