package io.github.llmbatch.request;

/**
 * Writes one provider's request line for a record. Made once per job (see the provider profile),
 * with everything that is the same for every request encoded up front; a record then adds only
 * its custom_id and its template values, rendered through {@link EscapedTemplate}. Not thread-safe.
 */
public interface RequestLineWriter {

    /**
     * @param customId the request's id at the provider (OpenAI's {@code custom_id}, Gemini's {@code key})
     * @param values   the record's values, as read by {@link RecordParser}
     * @return the request line, UTF-8, without a line terminator; an array of its own (the caller keeps it)
     * @throws Template.MissingFieldException when a template field is missing from the record
     */
    byte[] write(String customId, RecordValues values);
}
