package io.github.llmbatch.shard;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Writes request lines into numbered shard files, and each line's record into the shard's
 * records file, rolling to the next shard before a limit would be passed. Restart-safe: its
 * checkpoint ({@link #position()}) holds byte offsets, and a writer resumed from it truncates
 * the open shard's files back to them.
 *
 * <p>Checkpoints only hand the open shard to the operating system; a shard is forced to the
 * disk when it is finished, before anyone (the checkpoint, then the ledger) records it as
 * finished, so a power loss cannot leave a recorded shard shorter than recorded.
 */
public final class ShardWriter implements Closeable {

    private final Path dir;
    private final ShardLimits limits;
    private final List<ShardFile> finished;
    // shards being forced and closed behind the caller, in order: finished once they are done
    private final List<CompletableFuture<ShardFile>> finishing = new ArrayList<>();
    private final Executor writing;
    private int index;
    private AppendOnlyFile requests;
    private AppendOnlyFile records;
    private Sha256 digest;
    private long requestCount;
    private long inputCount;

    /**
     * @param resume where to continue; {@link ShardPosition#start()} for a fresh run
     */
    public ShardWriter(Path dir, ShardLimits limits, ShardPosition resume) throws IOException {
        this(dir, limits, resume, Runnable::run);
    }

    /**
     * @param resume  where to continue; {@link ShardPosition#start()} for a fresh run
     * @param writing writes the files, and takes the shards' SHA-256, beside the caller
     */
    public ShardWriter(Path dir, ShardLimits limits, ShardPosition resume, Executor writing) throws IOException {
        this.dir = dir;
        this.writing = writing;
        this.limits = limits;
        this.finished = new ArrayList<>(resume.finished());
        Files.createDirectories(dir);
        open(resume.openIndex(), resume.requestBytes(), resume.recordBytes());
        this.requestCount = resume.requests();
        this.inputCount = resume.inputs();
    }

    public static Path requestsFile(Path dir, int index) {
        return dir.resolve(String.format("shard-%05d.requests.jsonl", index));
    }

    public static Path recordsFile(Path dir, int index) {
        return dir.resolve(String.format("shard-%05d.records.jsonl", index));
    }

    /**
     * Appends one request and its record, rolling over first when the request would not fit.
     *
     * @param inputs embedding inputs the request carries (0 for chat)
     * @throws IllegalArgumentException when the request alone exceeds the byte limit
     */
    public void add(byte[] requestLine, byte[] recordLine, int inputs) throws IOException {
        long lineBytes = requestLine.length + 1L;
        if (lineBytes > limits.maxBytes()) {
            throw new IllegalArgumentException("request of " + lineBytes + " bytes exceeds maxBytesPerFile "
                    + limits.maxBytes());
        }
        if (requestCount > 0 && (requestCount + 1 > limits.maxRequests()
                || requests.position() + lineBytes > limits.maxBytes()
                || inputCount + inputs > limits.maxEmbeddingInputs())) {
            roll();
        }
        requests.writeLine(requestLine);
        records.writeLine(recordLine);
        requestCount++;
        inputCount += inputs;
    }

    /** Makes everything written durable and returns the checkpoint. */
    public ShardPosition position() throws IOException {
        awaitFinishing();
        long requestBytes = requests.sync();
        long recordBytes = records.sync();
        return new ShardPosition(List.copyOf(finished), index, requestBytes, recordBytes, requestCount, inputCount);
    }

    /** Closes the open shard (if it has requests) and returns every finished shard. */
    public List<ShardFile> finish() throws IOException {
        if (requestCount > 0) {
            finishOpenShard();
            index++;
            open(index, 0, 0);
        }
        awaitFinishing();
        return List.copyOf(finished);
    }

    private void roll() throws IOException {
        finishOpenShard();
        open(index + 1, 0, 0);
    }

    /**
     * Forces the open shard's files to the disk and closes them behind the caller (an fsync of
     * tens of megabytes each), while the next shard is written; the shard counts as finished,
     * in a checkpoint or in {@link #finish}, only once that is done.
     */
    private void finishOpenShard() throws IOException {
        int shardIndex = index;
        long count = requestCount;
        Sha256 shardDigest = digest;
        String requestPath = requests.path().toString();
        String recordPath = records.path().toString();
        CompletableFuture<Long> requestsDone = requests.finishBehind();
        CompletableFuture<Long> recordsDone = records.finishBehind();
        finishing.add(requestsDone.thenCombine(recordsDone, (bytes, recordBytes) ->
                new ShardFile(shardIndex, requestPath, recordPath, count, bytes, shardDigest.hex())));
        requestCount = 0;
        inputCount = 0;
    }

    private void awaitFinishing() throws IOException {
        try {
            for (CompletableFuture<ShardFile> shard : finishing) {
                finished.add(AppendOnlyFile.await(shard));
            }
        } finally {
            finishing.clear();
        }
    }

    private void open(int shardIndex, long requestBytes, long recordBytes) throws IOException {
        index = shardIndex;
        Path requestPath = requestsFile(dir, shardIndex).toAbsolutePath();
        requests = AppendOnlyFile.resume(requestPath, requestBytes);
        records = AppendOnlyFile.resume(recordsFile(dir, shardIndex).toAbsolutePath(), recordBytes);
        Sha256 prefix = new Sha256();
        if (requestBytes > 0) {
            // the digest cannot be checkpointed, so it is rebuilt from the kept prefix
            prefix.updatePrefix(requestPath, requestBytes);
        }
        digest = prefix;
        requests.digestInto(digest);
        requests.writeBehind(writing);
        records.writeBehind(writing);
    }

    /** Closes the files; an empty open shard's files are removed. */
    @Override
    public void close() throws IOException {
        // shards still finishing behind end first, whatever becomes of them
        finishing.forEach(shard -> shard.exceptionally(e -> null).join());
        finishing.clear();
        requests.close();
        records.close();
        if (requestCount == 0) {
            Files.deleteIfExists(requests.path());
            Files.deleteIfExists(records.path());
        }
    }
}
