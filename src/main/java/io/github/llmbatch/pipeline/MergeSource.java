package io.github.llmbatch.pipeline;

import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.merge.ResultIndex;
import io.github.llmbatch.merge.ResultRef;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.shard.LineReader;
import io.github.llmbatch.shard.RecordLines;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Reads the records shard by shard in input order, each with its latest result. On entering a
 * shard it indexes the result files of all the shard's attempts (custom_id to position; later
 * attempts win); result lines are then read by position, so memory holds one shard's ids and
 * never the results themselves.
 */
public final class MergeSource implements Closeable {

    private static final Logger LOG = Logger.getLogger(MergeSource.class.getName());

    private final Ledger ledger;
    private final ResultDecoder decoder;
    private final List<FileChannel> resultFiles = new ArrayList<>();
    private final List<Path> resultPaths = new ArrayList<>();
    private int shard;
    private long offset;
    private long records;
    private LineReader lines;
    private final ResultIndex index = new ResultIndex();
    private int lastAttempt;

    public MergeSource(Ledger ledger, ResultDecoder decoder, MergePosition resume) {
        this.ledger = ledger;
        this.decoder = decoder;
        this.shard = resume.shard();
        this.offset = resume.offset();
        this.records = resume.records();
    }

    /** The next record with its result, or null after the last shard. */
    public MergeInput next() throws IOException {
        while (shard < ledger.shards.size()) {
            if (lines == null) {
                enterShard(ledger.shards.get(shard));
            }
            if (lines.next()) {
                offset = lines.offsetAfterLine();
                records++;
                byte[] copy = lines.line();
                RecordLines.RecordLine record = RecordLines.decode(copy, 0, copy.length);
                ResultRef ref = index.get(record.customId());
                if (ref == null) {
                    return new MergeInput(record, null, lastAttempt, null, 0);
                }
                return new MergeInput(record, read(ref), ref.attempt(), resultPaths.get(ref.file()), ref.offset());
            }
            leaveShard();
            shard++;
            offset = 0;
        }
        return null;
    }

    public MergePosition checkpoint() {
        return new MergePosition(shard, offset, records);
    }

    private void enterShard(Ledger.Shard s) throws IOException {
        index.clear();
        lastAttempt = 0;
        for (Ledger.Attempt attempt : ledger.attemptsOf(s.index)) {
            lastAttempt = attempt.attempt;
            for (String file : new String[] {attempt.outputFile, attempt.errorFile}) {
                if (file != null) {
                    indexFile(Path.of(file), attempt.attempt);
                }
            }
        }
        lines = new LineReader(Path.of(s.recordsFile), offset);
    }

    private void indexFile(Path file, int attempt) throws IOException {
        int fileIndex = resultFiles.size();
        resultFiles.add(FileChannel.open(file, StandardOpenOption.READ));
        resultPaths.add(file);
        long number = 0;
        try (LineReader results = new LineReader(file, 0)) {
            while (results.next()) {
                number++;
                if (results.length() > 0) {
                    String id = ResultFileScan.customIdOrNull(decoder, results.buffer(), results.start(),
                            results.length());
                    if (id == null) {
                        // its request, whichever it was, shows as having no result line
                        long line = number;
                        LOG.warning(() -> file + " line " + line + ": not a result line, its custom_id cannot be read;"
                                + " skipped");
                        continue;
                    }
                    index.put(id, new ResultRef(fileIndex, results.lineOffset(), results.length(), attempt));
                }
            }
        }
    }

    private byte[] read(ResultRef ref) throws IOException {
        byte[] bytes = new byte[ref.length()];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        FileChannel ch = resultFiles.get(ref.file());
        long pos = ref.offset();
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("result file ended early");
            }
        }
        return bytes;
    }

    private void leaveShard() throws IOException {
        lines.close();
        lines = null;
        for (FileChannel ch : resultFiles) {
            ch.close();
        }
        resultFiles.clear();
        resultPaths.clear();
    }

    @Override
    public void close() throws IOException {
        if (lines != null) {
            leaveShard();
        }
    }
}
