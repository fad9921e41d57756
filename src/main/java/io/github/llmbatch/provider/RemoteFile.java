package io.github.llmbatch.provider;

/** A file as the provider stores it. */
public record RemoteFile(String id, String fileName, long bytes, long createdAt) {
}
