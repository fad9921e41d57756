package io.github.llmbatch.job;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Inputs and parameters shared by the in-process job tests. */
final class JobTestSupport {

    private JobTestSupport() {
    }

    static Properties params(Path dir, Path input) {
        Properties p = new Properties();
        p.setProperty("input", input.toString());
        p.setProperty("output", dir.resolve("out.jsonl").toString());
        p.setProperty("workDir", dir.resolve("work").toString());
        p.setProperty("baseUrl", "embedded");
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "Say something about {{name}}");
        p.setProperty("pollInterval", "200ms");
        return p;
    }

    /** Records {@code r-1 … r-n} with a name and a number field. */
    static void writeRecords(Path file, int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append("{\"id\":\"r-").append(i).append("\",\"name\":\"item ").append(i).append("\",\"n\":").append(i)
                    .append("}\n");
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    static Ledger ledgerOf(Path workDir, JobExecution execution) {
        long instanceId = BatchRuntime.getJobOperator().getJobInstance(execution.getExecutionId()).getInstanceId();
        return InstancePaths.of(workDir, instanceId).ledgerStore().read().orElseThrow();
    }
}
