package io.github.llmbatch.input;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats records are read from. */
public enum InputFormat {
    JSONL {
        @Override
        public InputSource open(Path file, Serializable checkpoint) throws IOException {
            return new JsonlSource(file, (JsonlSource.Position) checkpoint);
        }
    },
    CSV {
        @Override
        public InputSource open(Path file, Serializable checkpoint) throws IOException {
            return new CsvSource(file, checkpoint == null ? 0 : (Long) checkpoint);
        }
    };

    public abstract InputSource open(Path file, Serializable checkpoint) throws IOException;

    /** The named format, or the one the file name suggests ({@code .csv} = CSV, else JSONL). */
    public static InputFormat of(String name, Path file) {
        if (name == null || name.isBlank()) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : JSONL;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("inputFormat '" + name + "' is not one of jsonl, csv");
        }
    }
}
