package io.github.llmbatch.job;

import io.github.llmbatch.pipeline.Prepared;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Collects input field names in the processor and hands new ones to the writer with the item
 * that brought them, so they are checkpointed with it (the merged CSV's columns).
 */
final class FieldNames implements Consumer<String> {

    private final Set<String> seen = new LinkedHashSet<>();
    private List<String> fresh = new ArrayList<>();

    @Override
    public void accept(String name) {
        if (seen.add(name)) {
            fresh.add(name);
        }
    }

    PreparedItem attach(Prepared prepared) {
        List<String> names = fresh.isEmpty() ? List.of() : fresh;
        if (!fresh.isEmpty()) {
            fresh = new ArrayList<>();
        }
        return new PreparedItem(prepared, names);
    }

    /** A prepared record plus the field names first seen in it. */
    record PreparedItem(Prepared prepared, List<String> newFieldNames) {
    }
}
