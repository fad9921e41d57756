package io.github.llmbatch.request;

import java.util.List;

/**
 * An answer that is a JSON object valid against the job's {@link ResponseSchema}.
 *
 * @param json   the object as compact JSON (one line, whatever the model's layout)
 * @param values the top-level properties in schema order: a string as its text, any other value as
 *               its JSON, null when the answer lacks it
 */
public record StructuredAnswer(String json, List<String> values) {
}
