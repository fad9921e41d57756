package io.github.llmbatch.pipeline;

/** What prepare made of one input record: a request for the provider, or a reject. */
public sealed interface Prepared {

    long line();

    /**
     * @param requestLine the provider request line
     * @param recordLine  the shard records-file line (see {@code RecordLines})
     * @param inputs      embedding inputs the request carries
     * @param fingerprint the custom_id's {@code Fingerprint}, for the duplicate check
     */
    record Request(long line, String id, String customId, byte[] requestLine, byte[] recordLine, int inputs,
                   long fingerprint) implements Prepared {
    }

    /**
     * @param id     the record's id when it could be read, else null
     * @param input  the input line as it was
     */
    record Reject(long line, String id, String reason, String input) implements Prepared {
    }
}
