package io.github.llmbatch.pipeline;

import io.github.llmbatch.cost.InputTokenCount;
import io.github.llmbatch.cost.Tokenizer;
import io.github.llmbatch.shard.CustomIdSet;
import io.github.llmbatch.shard.LineReader;
import io.github.llmbatch.shard.RecordLines;
import io.github.llmbatch.shard.ShardFile;
import io.github.llmbatch.shard.ShardLimits;
import io.github.llmbatch.shard.ShardWriter;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Writes prepared records: requests into rolling shards, rejects into the rejects file, and
 * refuses a custom_id seen before (its second occurrence becomes a reject), and counts the
 * accepted requests' input tokens ({@link InputTokenCount}). Everything it
 * writes is covered by its checkpoint; a writer resumed from a checkpoint truncates the files
 * back to it and rebuilds the id set from the shards' records files.
 */
public final class PreparedWriter implements Closeable {

    private final ShardWriter shards;
    private final RejectSink rejects;
    private final CustomIdSet ids;
    private final Set<String> fieldNames;
    private final InputTokenCount tokens;
    private long accepted;
    private long rejected;

    public PreparedWriter(Path shardDir, Path rejectsFile, ShardLimits limits, Tokenizer tokenizer,
                          PrepareCheckpoint resume) throws IOException {
        this(shardDir, FileRejects.resume(rejectsFile, resume.rejectsBytes()), limits, tokenizer, resume);
    }

    /**
     * @param rejects   resumed at {@code resume.rejectsBytes()}
     * @param tokenizer the model's, for the input tokens
     */
    public PreparedWriter(Path shardDir, RejectSink rejects, ShardLimits limits, Tokenizer tokenizer,
                          PrepareCheckpoint resume) throws IOException {
        this(shardDir, rejects, limits, tokenizer, resume, Runnable::run);
    }

    /**
     * @param rejects      resumed at {@code resume.rejectsBytes()}
     * @param tokenizer    the model's, for the input tokens
     * @param helpers      where the sampled requests are tokenized and the shard files written and digested,
     *                     beside the caller
     */
    public PreparedWriter(Path shardDir, RejectSink rejects, ShardLimits limits, Tokenizer tokenizer,
                          PrepareCheckpoint resume, Executor helpers) throws IOException {
        this.shards = new ShardWriter(shardDir, limits, resume.shards(), helpers);
        this.ids = new CustomIdSet(shardDir.resolve("custom-ids.bin"));
        this.rejects = rejects;
        this.fieldNames = new LinkedHashSet<>(resume.fieldNames());
        this.accepted = resume.accepted();
        this.rejected = resume.rejected();
        this.tokens = new InputTokenCount(tokenizer, new InputTokenCount.Tally(resume.countedTokens(),
                resume.countedBytes(), resume.uncountedBytes()), resume.accepted(), helpers);
        rebuildIds(shardDir, resume);
    }

    public void write(List<Prepared> items) throws IOException {
        for (Prepared item : items) {
            if (item instanceof Prepared.Request request) {
                if (ids.addFingerprint(request.fingerprint())) {
                    shards.add(request.requestLine(), request.recordLine(), request.inputs());
                    tokens.add(request.requestLine());
                    accepted++;
                } else {
                    String reason = request.customId().equals(request.id())
                            ? "duplicate id '" + request.id() + "'"
                            : "duplicate id '" + request.id() + "' (custom_id " + request.customId() + ")";
                    writeReject(new Prepared.Reject(request.line(), request.id(), reason, inputOf(request)));
                }
            } else {
                writeReject((Prepared.Reject) item);
            }
        }
    }

    /** Field names of accepted records are collected here so they survive restarts. */
    public void addFieldName(String name) {
        fieldNames.add(name);
    }

    public PrepareCheckpoint checkpoint() throws IOException {
        InputTokenCount.Tally tally = tokens.tally();
        return new PrepareCheckpoint(shards.position(), rejects.sync(), accepted, rejected, List.copyOf(fieldNames),
                tally.countedTokens(), tally.countedBytes(), tally.uncountedBytes());
    }

    /** Closes the last shard and returns all shards; the writer accepts nothing afterwards. */
    public List<ShardFile> finish() throws IOException {
        rejects.sync();
        return shards.finish();
    }

    public long accepted() {
        return accepted;
    }

    public long rejected() {
        return rejected;
    }

    /** The accepted requests' input tokens (see {@link InputTokenCount}). */
    public long inputTokens() {
        return tokens.tally().total();
    }

    /** Whether {@link #inputTokens()} is exact: every request counted, with the model's own encoding. */
    public boolean inputTokensExact() {
        return tokens.exact();
    }

    /** Time this JVM spent counting tokens. */
    public long countingNanos() {
        return tokens.countingNanos();
    }

    public List<String> fieldNames() {
        return new ArrayList<>(fieldNames);
    }

    private void writeReject(Prepared.Reject reject) throws IOException {
        rejects.write(reject);
        rejected++;
    }

    private static String inputOf(Prepared.Request request) {
        RecordLines.RecordLine line = RecordLines.decode(request.recordLine(), 0, request.recordLine().length);
        return new String(line.buffer(), line.recordOffset(), line.recordLength(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private void rebuildIds(Path shardDir, PrepareCheckpoint resume) throws IOException {
        for (ShardFile shard : resume.shards().finished()) {
            addIds(Path.of(shard.recordsFile()), Long.MAX_VALUE);
        }
        if (resume.shards().recordBytes() > 0) {
            addIds(ShardWriter.recordsFile(shardDir, resume.shards().openIndex()), resume.shards().recordBytes());
        }
    }

    private void addIds(Path recordsFile, long upTo) throws IOException {
        try (LineReader lines = new LineReader(recordsFile, 0)) {
            while (lines.lineOffset() < upTo && lines.next() && lines.lineOffset() < upTo) {
                ids.add(RecordLines.decode(lines.buffer(), lines.start(), lines.length()).customId());
            }
        }
    }

    @Override
    public void close() throws IOException {
        try (ids; rejects) {
            shards.close();
        }
    }
}
