package io.github.llmbatch.merge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The output columns of a structured answer: one per top-level schema property, in schema order,
 * named as the property; a name the output already uses (its own columns, an input field) gets the
 * prefix {@code parsed_}, so no column is written twice.
 */
final class AnswerColumns {

    static final String PREFIX = "parsed_";

    private AnswerColumns() {
    }

    static List<String> names(List<String> properties, Collection<String> taken) {
        List<String> names = new ArrayList<>(properties.size());
        for (String property : properties) {
            String name = property;
            while (taken.contains(name) || names.contains(name)) {
                name = PREFIX + name;
            }
            names.add(name);
        }
        return names;
    }
}
