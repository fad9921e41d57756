package io.github.llmbatch.web;

import java.util.Date;
import java.util.Properties;

import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * The JSON the API answers with, built from the standard {@code jakarta.batch.runtime} views
 * only. Field names are those of JBeret's REST API, which this API replaces; times are epoch
 * milliseconds as there, {@code null} while unset.
 */
final class ExecutionJson {

    private ExecutionJson() {
    }

    static JsonObject of(JobExecution execution, long instanceId) {
        return Json.createObjectBuilder()
                .add("executionId", execution.getExecutionId())
                .add("jobInstanceId", instanceId)
                .add("jobName", execution.getJobName())
                .add("batchStatus", String.valueOf(execution.getBatchStatus()))
                .add("exitStatus", nullable(execution.getExitStatus()))
                .add("createTime", millis(execution.getCreateTime()))
                .add("startTime", millis(execution.getStartTime()))
                .add("endTime", millis(execution.getEndTime()))
                .add("lastUpdatedTime", millis(execution.getLastUpdatedTime()))
                .add("jobParameters", parameters(execution.getJobParameters()))
                .build();
    }

    static JsonObject of(StepExecution step) {
        JsonArrayBuilder metrics = Json.createArrayBuilder();
        if (step.getMetrics() != null) {
            for (Metric metric : step.getMetrics()) {
                metrics.add(Json.createObjectBuilder()
                        .add("type", metric.getType().name())
                        .add("value", metric.getValue()));
            }
        }
        return Json.createObjectBuilder()
                .add("stepExecutionId", step.getStepExecutionId())
                .add("stepName", step.getStepName())
                .add("batchStatus", String.valueOf(step.getBatchStatus()))
                .add("exitStatus", nullable(step.getExitStatus()))
                .add("startTime", millis(step.getStartTime()))
                .add("endTime", millis(step.getEndTime()))
                .add("metrics", metrics)
                .build();
    }

    static JsonObject of(JobInstance instance, int executions, long latestExecutionId) {
        return Json.createObjectBuilder()
                .add("instanceId", instance.getInstanceId())
                .add("jobName", instance.getJobName())
                .add("numberOfJobExecutions", executions)
                .add("latestJobExecutionId", latestExecutionId)
                .build();
    }

    private static JsonObjectBuilder parameters(Properties parameters) {
        JsonObjectBuilder json = Json.createObjectBuilder();
        if (parameters != null) {
            parameters.stringPropertyNames().stream().sorted()
                    .forEach(name -> json.add(name, parameters.getProperty(name)));
        }
        return json;
    }

    private static JsonValue nullable(String text) {
        return text == null ? JsonValue.NULL : Json.createValue(text);
    }

    private static JsonValue millis(Date date) {
        return date == null ? JsonValue.NULL : Json.createValue(date.getTime());
    }
}
