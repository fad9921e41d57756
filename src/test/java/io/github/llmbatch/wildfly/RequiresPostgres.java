package io.github.llmbatch.wildfly;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.SQLException;

/**
 * Marks a test class that needs the local PostgreSQL ({@link PostgresDatabase}). Where none
 * answers, the class is skipped with one line saying so, so that {@code mvn test} works on a
 * machine without a database. Under {@code CI=true} a skip would hide a broken set-up, so the
 * class runs anyway and fails with the connection error.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.Condition.class)
public @interface RequiresPostgres {

    final class Condition implements ExecutionCondition {

        /** Asked once per JVM: the answer does not change during a test run. */
        private static volatile String unreachable;
        private static volatile boolean asked;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                return ConditionEvaluationResult.enabled("CI=true: database tests always run");
            }
            String reason = unreachableReason();
            return reason == null
                    ? ConditionEvaluationResult.enabled("PostgreSQL answers")
                    : ConditionEvaluationResult.disabled(reason);
        }

        private static synchronized String unreachableReason() {
            if (!asked) {
                asked = true;
                try {
                    PostgresDatabase.ping();
                } catch (SQLException e) {
                    unreachable = "skipped: no PostgreSQL answers at " + PostgresDatabase.describeServer() + " ("
                            + e.getMessage() + "); bash .ci/run installs and starts one, and under CI=true this"
                            + " skip is a failure";
                    System.err.println("[RequiresPostgres] " + unreachable);
                }
            }
            return unreachable;
        }
    }
}
