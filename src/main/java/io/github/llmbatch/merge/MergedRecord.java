package io.github.llmbatch.merge;

import java.util.List;

/**
 * One output record: an input record joined with its latest result.
 *
 * @param contentJson  chat: the assistant text as a JSON string literal; embeddings: the vector
 *                     as a JSON array; null when failed, except an answer that failed its response
 *                     schema ({@code invalid_output}), which is kept as it came
 * @param errorCode    null when succeeded
 * @param usageJson    the provider's usage object as JSON, or null
 * @param attempts     how many attempts included this record
 * @param record       the input record's JSON is {@code record[recordOffset, recordOffset+recordLength)}
 * @param parsedJson   with a response schema: the answer's object as compact JSON; null otherwise or when failed
 * @param parsedValues with {@code parsedJson}: the object's top-level properties in schema order (a string
 *                     as its text, other values as JSON, null when absent); else an empty list
 */
public record MergedRecord(String id, boolean succeeded, String contentJson, String errorCode,
                           String errorMessage, String usageJson, int attempts, byte[] record, int recordOffset,
                           int recordLength, String parsedJson, List<String> parsedValues) {

    /** A record without a parsed answer. */
    public MergedRecord(String id, boolean succeeded, String contentJson, String errorCode, String errorMessage,
                        String usageJson, int attempts, byte[] record, int recordOffset, int recordLength) {
        this(id, succeeded, contentJson, errorCode, errorMessage, usageJson, attempts, record, recordOffset,
                recordLength, null, List.of());
    }

    public String status() {
        return succeeded ? "succeeded" : "failed";
    }
}
