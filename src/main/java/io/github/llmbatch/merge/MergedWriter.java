package io.github.llmbatch.merge;

import io.github.llmbatch.shard.AppendOnlyFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes merged records to the output file; restart-safe through the file's byte offset, which
 * is its checkpoint ({@link #sync()}).
 */
public abstract class MergedWriter implements MergedOutput {

    protected final AppendOnlyFile file;

    protected MergedWriter(AppendOnlyFile file) {
        this.file = file;
    }

    /**
     * Opens the output for the file's format ({@code .csv}: CSV, else JSONL) at a checkpoint.
     *
     * @param fields the input's field names, for the CSV header
     */
    public static MergedWriter open(Path output, long offset, List<String> fields) throws IOException {
        return open(output, offset, fields, null);
    }

    /**
     * @param answerFields with a response schema its top-level properties (records get {@code parsed}, and a
     *                     CSV a column for each); null without one
     */
    public static MergedWriter open(Path output, long offset, List<String> fields, List<String> answerFields)
            throws IOException {
        AppendOnlyFile file = AppendOnlyFile.resume(output, offset);
        if (output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return new MergedCsvWriter(file, fields, answerFields == null ? List.of() : answerFields, offset == 0);
        }
        return new MergedJsonlWriter(file, answerFields != null);
    }

    public abstract void write(MergedRecord record) throws IOException;

    /** Makes what was written durable; returns the offset to checkpoint. */
    public long sync() throws IOException {
        return file.sync();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
