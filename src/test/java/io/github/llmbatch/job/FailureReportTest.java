package io.github.llmbatch.job;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a failure reads in the exit status: the reason and the file, never a bare class name or path. */
class FailureReportTest {

    @Test
    void aWrapperWithoutTheReasonGetsItsCausesReason() {
        // LedgerStore's wrapper around what FileChannel.write throws on a full disk
        Exception e = new UncheckedIOException("cannot write ledger /w/instance-3/ledger.json",
                new IOException("No space left on device"));
        assertEquals("cannot write ledger /w/instance-3/ledger.json: No space left on device", FailureReport.reason(e));
    }

    @Test
    void aReasonAlreadyGivenIsNotRepeated() {
        Exception e = new IOException("cannot write /w/out.jsonl: No space left on device",
                new IOException("No space left on device"));
        assertEquals("cannot write /w/out.jsonl: No space left on device", FailureReport.reason(e));
        Exception probe = new IOException("output /ro/out.jsonl: its directory /ro is not writable: Read-only file system",
                new FileSystemException("/ro/.llm-batch-probe-1.tmp", null, "Read-only file system"));
        assertEquals("output /ro/out.jsonl: its directory /ro is not writable: Read-only file system",
                FailureReport.reason(probe));
    }

    @Test
    void fileExceptionsWhoseMessageIsJustThePathSayWhatHappened() {
        assertEquals("no such file or directory: /in/records.jsonl",
                FailureReport.reason(new NoSuchFileException("/in/records.jsonl")));
        assertEquals("permission denied: /out", FailureReport.reason(new AccessDeniedException("/out")));
        assertEquals("cannot open the shard: permission denied: /w/s.jsonl",
                FailureReport.reason(new IOException("cannot open the shard", new AccessDeniedException("/w/s.jsonl"))));
    }

    @Test
    void aWrapperThatIsJustItsCauseAddsNothingAndNoMessageGivesTheType() {
        IOException cause = new IOException("connection reset");
        assertEquals("connection reset", FailureReport.reason(new RuntimeException(cause)));
        assertEquals("NullPointerException", FailureReport.reason(new NullPointerException()));
    }
}
