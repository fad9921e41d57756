package io.github.llmbatch.input;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats records are read from. */
public enum InputFormat {
    JSONL {
        @Override
        InputSource read(Path file, Serializable checkpoint) throws IOException {
            return new JsonlSource(file, (JsonlSource.Position) checkpoint);
        }
    },
    CSV {
        @Override
        InputSource read(Path file, Serializable checkpoint) throws IOException {
            return new CsvSource(file, checkpoint == null ? 0 : (Long) checkpoint);
        }
    };

    /**
     * The records of {@code file} from a checkpoint on (null: from the start).
     *
     * @throws IOException naming the file when it is missing or a directory (a directory opens
     *                     fine on Linux and fails at the first read with a bare "Is a directory")
     */
    public InputSource open(Path file, Serializable checkpoint) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("input " + file + " is a directory, not a file of records");
        }
        if (!Files.exists(file)) {
            throw new IOException("input " + file + " does not exist");
        }
        return read(file, checkpoint);
    }

    abstract InputSource read(Path file, Serializable checkpoint) throws IOException;

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
