package io.github.llmbatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;

import org.junit.jupiter.api.Test;

class RestartParametersTest {

    @Test
    void overridesReplaceTheLastExecutionsParametersAndTheRestStays() {
        Properties previous = properties(Map.of("input", "/data/in.jsonl", "model", "m", "pollInterval", "5m"));
        Properties overrides = properties(Map.of("pollInterval", "1m", "maxAttempts", "5"));

        Properties merged = RestartParameters.merge(previous, overrides);

        assertEquals(properties(Map.of("input", "/data/in.jsonl", "model", "m", "pollInterval", "1m",
                "maxAttempts", "5")), merged);
        assertEquals("5m", previous.getProperty("pollInterval"), "the previous parameters are left as they were");
    }

    @Test
    void noOverridesIsTheSameAgainAndNoPreviousIsJustTheOverrides() {
        Properties previous = properties(Map.of("input", "/in", "model", "m"));

        assertEquals(previous, RestartParameters.merge(previous, new Properties()));
        assertEquals(properties(Map.of("model", "x")), RestartParameters.merge(null, properties(Map.of("model", "x"))));
    }

    @Test
    void theNewestExecutionIsTheOneWithTheHighestId() {
        List<JobExecution> executions = List.of(execution(7), execution(12), execution(9));

        assertEquals(12, RestartParameters.newest(executions).getExecutionId());
    }

    private static Properties properties(Map<String, String> values) {
        Properties p = new Properties();
        p.putAll(values);
        return p;
    }

    /** A value object of the standard interface; only the id matters here. */
    private static JobExecution execution(long id) {
        return new JobExecution() {
            public long getExecutionId() { return id; }
            public String getJobName() { return "llm-batch"; }
            public BatchStatus getBatchStatus() { return BatchStatus.FAILED; }
            public Date getStartTime() { return null; }
            public Date getEndTime() { return null; }
            public String getExitStatus() { return null; }
            public Date getCreateTime() { return null; }
            public Date getLastUpdatedTime() { return null; }
            public Properties getJobParameters() { return new Properties(); }
        };
    }
}
