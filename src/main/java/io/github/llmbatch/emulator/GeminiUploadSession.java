package io.github.llmbatch.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One resumable upload (BATCH-PROTOCOLS.md §C.1) between its {@code start} and its {@code finalize}:
 * the bytes received so far, in a temp file of the store, and the metadata given at the start.
 * Calls on one session are serialised by its monitor.
 */
final class GeminiUploadSession {

    private final String id;
    private final String requestedFileId;
    private final String displayName;
    private final String mimeType;
    private final String uploadFileName;
    private final Long declaredBytes;
    private final Path data;
    private long received;
    private StoredFile file;

    /**
     * @param requestedFileId  the id asked for in the metadata ({@code file.name}), or null for a new one
     * @param uploadFileName   {@code X-Goog-Upload-File-Name}, or null
     * @param declaredBytes    {@code X-Goog-Upload-Header-Content-Length}, or null
     */
    GeminiUploadSession(String id, String requestedFileId, String displayName, String mimeType, String uploadFileName,
                        Long declaredBytes, Path data) {
        this.id = id;
        this.requestedFileId = requestedFileId;
        this.displayName = displayName;
        this.mimeType = mimeType;
        this.uploadFileName = uploadFileName;
        this.declaredBytes = declaredBytes;
        this.data = data;
    }

    String id() {
        return id;
    }

    String requestedFileId() {
        return requestedFileId;
    }

    String displayName() {
        return displayName;
    }

    String mimeType() {
        return mimeType;
    }

    /** The name stats record for this upload: the display name, else the file name the client sent. */
    String nameForStats(String fileId) {
        return displayName != null ? displayName : uploadFileName != null ? uploadFileName : fileId;
    }

    Long declaredBytes() {
        return declaredBytes;
    }

    Path data() {
        return data;
    }

    synchronized long received() {
        return received;
    }

    /** The file made by the finalize, or null while the upload is active. */
    synchronized StoredFile file() {
        return file;
    }

    synchronized void finished(StoredFile stored) {
        file = stored;
    }

    /**
     * Appends a chunk sent at {@code offset}; bytes beyond {@code maxBytes} in total are read and dropped.
     *
     * @return the session's size with this chunk (also counting the dropped bytes)
     * @throws ApiException when the offset is not where the data so far ends
     */
    synchronized long append(long offset, InputStream chunk, long maxBytes) throws IOException {
        if (offset != received) {
            throw ApiException.google(400, "[emulated] X-Goog-Upload-Offset is " + offset + " but " + received
                    + " bytes were received so far.");
        }
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(data, StandardOpenOption.APPEND)) {
            for (int n = chunk.read(buffer); n >= 0; n = chunk.read(buffer)) {
                if (received < maxBytes) {
                    out.write(buffer, 0, (int) Math.min(n, maxBytes - received));
                }
                received += n;
            }
        }
        return received;
    }
}
