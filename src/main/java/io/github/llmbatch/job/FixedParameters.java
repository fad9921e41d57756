package io.github.llmbatch.job;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The values of the parameters that shape the requests and the records ({@link JobParameter#fixed()}).
 * A restart that changed one would mix two kinds of work in one instance: records of two input
 * files in the shards, or two models in one batch, which the provider refuses. So the first
 * execution records them in the ledger, and a later one that differs is refused, naming each.
 */
record FixedParameters(Map<String, String> values) {

    private static final int SHOWN_CHARS = 200;

    static FixedParameters of(JobSettings settings) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JobParameter p : JobParameter.values()) {
            if (p.fixed()) {
                values.put(p.parameterName(), p.fixedValue(settings));
            }
        }
        return new FixedParameters(values);
    }

    /**
     * Records these values in the instance's ledger if none are recorded yet, else refuses them
     * unless they equal the recorded ones.
     */
    void holdFor(LedgerStore store, long instanceId) {
        Ledger ledger = store.readOrCreate(instanceId);
        if (ledger.fixedParameters == null) {
            ledger.fixedParameters = new LinkedHashMap<>(values);
            store.write(ledger);
            return;
        }
        List<String> changes = changesFrom(ledger.fixedParameters);
        if (!changes.isEmpty()) {
            throw new IllegalStateException("job instance " + instanceId + " cannot change "
                    + String.join("; ", changes) + ": these parameters shape the requests and records, so they are"
                    + " fixed for a job instance. Restart with the earlier values" + restoring(ledger.fixedParameters)
                    + ", or start a new run");
        }
    }

    /**
     * The restart options that bring the earlier values back. A refused restart is itself the most
     * recent execution, and JBeret carries its parameters into the next restart, so they must be
     * given again explicitly.
     */
    private String restoring(Map<String, String> recorded) {
        StringBuilder options = new StringBuilder();
        values.forEach((name, now) -> {
            String earlier = recorded.get(name);
            if (recorded.containsKey(name) && !Objects.equals(earlier, now)
                    && (earlier == null || earlier.length() <= SHOWN_CHARS)) {
                String option = name + "=" + (earlier == null ? "" : earlier);
                options.append(" -p '").append(option.replace("'", "'\\''")).append('\'');
            }
        });
        return options.length() == 0 ? "" : " (restart ..." + options + ")";
    }

    /**
     * Each recorded parameter whose value differs, as {@code name 'old' -> 'new'}. A parameter
     * added to the job after the ledger was written is not recorded there and not compared.
     */
    List<String> changesFrom(Map<String, String> recorded) {
        List<String> changes = new ArrayList<>();
        values.forEach((name, now) -> {
            if (recorded.containsKey(name) && !Objects.equals(recorded.get(name), now)) {
                changes.add(name + " " + shown(recorded.get(name)) + " -> " + shown(now));
            }
        });
        return changes;
    }

    private static String shown(String value) {
        if (value == null) {
            return "(unset)";
        }
        return "'" + (value.length() <= SHOWN_CHARS ? value : value.substring(0, SHOWN_CHARS) + "…") + "'";
    }
}
