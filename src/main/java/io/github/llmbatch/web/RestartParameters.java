package io.github.llmbatch.web;

import java.util.Comparator;
import java.util.List;
import java.util.Properties;

import jakarta.batch.runtime.JobExecution;

/**
 * What a restart passes to {@code JobOperator.restart}. Only JBeret carries an execution's job
 * parameters into its restart; JBatch (Payara, GlassFish) and Open Liberty start the restart
 * with exactly the parameters given. So the API sends the last execution's parameters with the
 * caller's overrides on top, and a restart with {@code {}} means "the same again" everywhere.
 */
final class RestartParameters {

    private RestartParameters() {
    }

    static Properties merge(Properties previous, Properties overrides) {
        Properties merged = new Properties();
        if (previous != null) {
            previous.stringPropertyNames().forEach(name -> merged.setProperty(name, previous.getProperty(name)));
        }
        overrides.stringPropertyNames().forEach(name -> merged.setProperty(name, overrides.getProperty(name)));
        return merged;
    }

    /**
     * The execution a restart must name: the newest of the instance. A caller naturally names
     * the one it started or last saw fail, but a later refused restart may have left a newer one
     * (on JBatch one that stays STARTING), and the runtimes only restart the most recent.
     */
    static JobExecution newest(List<JobExecution> executionsOfInstance) {
        return executionsOfInstance.stream()
                .max(Comparator.comparingLong(JobExecution::getExecutionId))
                .orElseThrow(() -> new IllegalArgumentException("a job instance without executions"));
    }
}
