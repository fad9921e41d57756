package io.github.llmbatch.pipeline;

import io.github.llmbatch.shard.AppendOnlyFile;

import java.io.IOException;
import java.nio.file.Path;

/** The rejects file, one JSON line per reject ({@link RejectLines}); the position is a byte offset. */
public final class FileRejects implements RejectSink {

    private final AppendOnlyFile file;

    private FileRejects(AppendOnlyFile file) {
        this.file = file;
    }

    public static FileRejects resume(Path file, long offset) throws IOException {
        return new FileRejects(AppendOnlyFile.resume(file, offset));
    }

    @Override
    public void write(Prepared.Reject reject) throws IOException {
        file.writeLine(RejectLines.encode(reject));
    }

    @Override
    public long sync() throws IOException {
        return file.sync();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
