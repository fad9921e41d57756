package io.github.llmbatch.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Collects the top-level field names of a run of records and says which are new with each
 * record. Records of one input mostly repeat the same names in the same order, and the parser
 * hands out one String instance per name, so a name is first compared by identity with the name
 * at its place in the record before; only a different name is looked up.
 */
final class FieldNameCollector implements Consumer<String> {

    private final Set<String> seen = new HashSet<>();
    private String[] previous = new String[16];
    private int place;
    private List<String> fresh = new ArrayList<>();

    void startRecord() {
        place = 0;
    }

    @Override
    public void accept(String name) {
        if (place < previous.length && previous[place] == name) {
            place++;
            return;
        }
        if (place == previous.length) {
            previous = Arrays.copyOf(previous, place * 2);
        }
        previous[place++] = name;
        if (seen.add(name)) {
            fresh.add(name);
        }
    }

    /** The names first seen since the last call, in order; empty mostly. */
    List<String> takeNew() {
        if (fresh.isEmpty()) {
            return List.of();
        }
        List<String> names = fresh;
        fresh = new ArrayList<>();
        return names;
    }
}
