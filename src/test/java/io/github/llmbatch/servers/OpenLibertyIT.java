package io.github.llmbatch.servers;

import java.util.Map;

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
        return new OpenLibertyServer("open-liberty", Map.of(
                        "LLMBATCH_DB_HOST", database.host(),
                        "LLMBATCH_DB_PORT", Integer.toString(database.port()),
                        "LLMBATCH_DB_NAME", database.name(),
                        "LLMBATCH_DB_USER", database.user(),
                        "LLMBATCH_DB_PASSWORD", database.password(),
                        "OPENAI_API_KEY", API_KEY))
                .user(OPERATOR, OPERATOR_PASSWORD, "llm-batch-operator");
    }

    /** Liberty's recovery marks the executions it was running FAILED when it starts again. */
    @Override
    protected String crashedExecutionStatusAfterReboot() {
        return "FAILED";
    }
}
