package io.github.llmbatch.provider;

import java.util.List;

/**
 * A provider batch as last seen.
 *
 * @param outputRef  where the successful results are (file id or URL); null when there is nothing
 * @param errorRef   where the failed results are; null when there is nothing
 * @param errors     batch-level errors of a {@link BatchState#FAILED} batch
 * @param idempotencyKey the key the batch was created with, when the provider echoes it
 */
public record RemoteBatch(String id, BatchState state, String rawStatus, long total, long completed,
                          long failed, String outputRef, String errorRef, List<BatchError> errors,
                          String idempotencyKey) {

    public RemoteBatch {
        errors = errors == null ? List.of() : List.copyOf(errors);
        outputRef = blankToNull(outputRef);
        errorRef = blankToNull(errorRef);
    }

    // Providers report "no file" as null, missing or the empty string.
    private static String blankToNull(String ref) {
        return ref == null || ref.isBlank() ? null : ref;
    }
}
