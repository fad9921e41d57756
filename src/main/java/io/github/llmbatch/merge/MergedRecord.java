package io.github.llmbatch.merge;

/**
 * One output record: an input record joined with its latest result.
 *
 * @param contentJson  chat: the assistant text as a JSON string literal; embeddings: the vector
 *                     as a JSON array; null when failed
 * @param errorCode    null when succeeded
 * @param usageJson    the provider's usage object as JSON, or null
 * @param attempts     how many attempts included this record
 * @param record       the input record's JSON is {@code record[recordOffset, recordOffset+recordLength)}
 */
public record MergedRecord(String id, boolean succeeded, String contentJson, String errorCode,
                           String errorMessage, String usageJson, int attempts, byte[] record, int recordOffset,
                           int recordLength) {

    public String status() {
        return succeeded ? "succeeded" : "failed";
    }
}
