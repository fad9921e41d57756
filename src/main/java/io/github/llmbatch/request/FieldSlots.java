package io.github.llmbatch.request;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The record fields a job reads (the id and every template placeholder), numbered once so a
 * record's values live in arrays instead of a map per record. Slot 0 is the id field.
 */
public final class FieldSlots {

    private final List<String> names;
    private final Map<String, Integer> slots = new HashMap<>();

    private FieldSlots(List<String> names) {
        this.names = List.copyOf(names);
        for (int i = 0; i < names.size(); i++) {
            slots.put(names.get(i), i);
        }
    }

    public static FieldSlots of(String idField, RequestSpec spec) {
        Set<String> names = new LinkedHashSet<>();
        names.add(idField);
        if (spec.systemPrompt() != null) {
            names.addAll(spec.systemPrompt().fieldNames());
        }
        names.addAll(spec.userTemplate().fieldNames());
        return new FieldSlots(new ArrayList<>(names));
    }

    public static final int ID = 0;

    /** The slot of a field, or -1 when the job does not read it. */
    public int slotOf(String field) {
        Integer slot = slots.get(field);
        return slot == null ? -1 : slot;
    }

    public String name(int slot) {
        return names.get(slot);
    }

    public int size() {
        return names.size();
    }
}
