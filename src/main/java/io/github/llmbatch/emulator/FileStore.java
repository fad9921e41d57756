package io.github.llmbatch.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Files on disk under one directory, with their metadata in memory. */
final class FileStore {

    private final Path dir;
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentSkipListMap<Long, StoredFile> bySequence = new ConcurrentSkipListMap<>();
    private final Map<String, StoredFile> byId = new ConcurrentHashMap<>();
    // Deleted files stay known by id so that a list cursor naming one still has a position.
    private final Map<String, Long> deletedSequences = new ConcurrentHashMap<>();

    FileStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** A fresh file to write into before {@link #register}. */
    Path newTempFile(String prefix) throws IOException {
        return Files.createTempFile(dir, prefix, ".part");
    }

    /** Moves a written temp file into the store under a new id. */
    StoredFile register(Path written, String filename, String purpose, Long expiresAfterSeconds) throws IOException {
        return register(written, IdGenerator.fileId(), filename, null, purpose, expiresAfterSeconds);
    }

    /**
     * Moves a written temp file into the store under the given id.
     *
     * @throws java.nio.file.FileAlreadyExistsException when the id is taken (also by a deleted file)
     */
    synchronized StoredFile register(Path written, String id, String filename, String mimeType, String purpose,
                                     Long expiresAfterSeconds) throws IOException {
        if (byId.containsKey(id) || deletedSequences.containsKey(id)) {
            throw new java.nio.file.FileAlreadyExistsException(id);
        }
        Path target = dir.resolve(id);
        Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
        long now = UnixTime.now();
        StoredFile file = new StoredFile(id, sequence.incrementAndGet(), filename, purpose, Files.size(target), now,
                expiresAfterSeconds == null ? null : now + expiresAfterSeconds, target, mimeType);
        byId.put(id, file);
        bySequence.put(file.sequence(), file);
        return file;
    }

    Optional<StoredFile> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    boolean delete(String id) throws IOException {
        StoredFile file = byId.remove(id);
        if (file == null) {
            return false;
        }
        bySequence.remove(file.sequence());
        deletedSequences.put(id, file.sequence());
        Files.deleteIfExists(file.path());
        return true;
    }

    /**
     * @param purpose    only files with this purpose, or null for all
     * @param ascending  oldest first when true
     * @param after      id of the last file of the previous page, or null
     * @throws IllegalArgumentException when {@code after} names no file this store ever held
     */
    ListPage<StoredFile> list(String purpose, boolean ascending, String after, int limit) {
        Map<Long, StoredFile> view = ascending ? bySequence : bySequence.descendingMap();
        if (after != null) {
            Long cursor = byId.containsKey(after) ? Long.valueOf(byId.get(after).sequence()) : deletedSequences.get(after);
            if (cursor == null) {
                throw new IllegalArgumentException(after);
            }
            view = ascending ? bySequence.tailMap(cursor, false) : bySequence.headMap(cursor, false).descendingMap();
        }
        List<StoredFile> page = new ArrayList<>();
        Iterator<StoredFile> files = view.values().iterator();
        while (files.hasNext()) {
            StoredFile file = files.next();
            if (purpose != null && !purpose.equals(file.purpose())) {
                continue;
            }
            if (page.size() == limit) {
                return new ListPage<>(page, true);
            }
            page.add(file);
        }
        return new ListPage<>(page, false);
    }
}
