package io.github.llmbatch.cli;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

import java.io.PrintStream;

/** The {@code --json} output: JSON-B, indented, nulls kept so every documented field is present. */
final class CliJson {

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withFormatting(true).withNullValues(true));

    private CliJson() {
    }

    static void print(Object value, PrintStream out) {
        out.println(JSONB.toJson(value));
        out.flush();
    }
}
