package io.github.llmbatch.cli;

import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step execution with its metrics, keyed {@code readCount}, {@code writeCount},
 * {@code filterCount}, {@code commitCount}, {@code rollbackCount}, {@code readSkipCount},
 * {@code processSkipCount}, {@code writeSkipCount} (batchlet steps report zeros).
 */
public record StepStatus(String stepName, String batchStatus, String exitStatus, String startTime,
                         String endTime, Map<String, Long> metrics) {

    static StepStatus of(StepExecution step) {
        Map<Metric.MetricType, Long> byType = new EnumMap<>(Metric.MetricType.class);
        if (step.getMetrics() != null) {
            for (Metric metric : step.getMetrics()) {
                byType.put(metric.getType(), metric.getValue());
            }
        }
        // in the enum's order, so every listing reads the same
        Map<String, Long> metrics = new LinkedHashMap<>();
        byType.forEach((type, value) -> metrics.put(metricName(type), value));
        return new StepStatus(step.getStepName(), String.valueOf(step.getBatchStatus()), step.getExitStatus(),
                ExecutionSummary.iso(step.getStartTime()), ExecutionSummary.iso(step.getEndTime()), metrics);
    }

    long metric(String name) {
        return metrics.getOrDefault(name, 0L);
    }

    /** READ_SKIP_COUNT becomes readSkipCount. */
    static String metricName(Metric.MetricType type) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : type.name().toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
