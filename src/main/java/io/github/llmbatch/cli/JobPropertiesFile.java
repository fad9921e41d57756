package io.github.llmbatch.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A job's parameters in a {@code .properties} file (UTF-8). Relative paths in it are relative to
 * the file's own directory, so a job folder can be moved and run from anywhere.
 */
final class JobPropertiesFile {

    private JobPropertiesFile() {
    }

    static Properties load(Path file) throws UsageException {
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(reader);
        } catch (NoSuchFileException e) {
            throw new UsageException("job properties file not found: " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("cannot read job properties file " + file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().normalize().getParent();
        return JobParameters.resolvePaths(raw, dir);
    }
}
