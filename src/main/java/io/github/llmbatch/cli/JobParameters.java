package io.github.llmbatch.cli;

import io.github.llmbatch.job.ParameterNames;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Job parameters as the CLI hands them to JobOperator. The job may be restarted later from
 * another directory, so every path parameter it receives is absolute.
 */
final class JobParameters {

    /** Parameters that name files or directories. */
    static final Set<String> PATH_KEYS = Set.of("input", "output", "rejects", "workDir", "responseSchema", "priceTable");

    static final String WORK_DIR = "workDir";
    /** The job's default work directory, relative to the directory the job was started from. */
    static final String DEFAULT_WORK_DIR = "llm-batch-work";

    private JobParameters() {
    }

    /** Makes the relative path parameters absolute against {@code base}; others are left alone. */
    static Properties resolvePaths(Properties params, Path base) throws UsageException {
        Properties resolved = new Properties();
        for (String key : params.stringPropertyNames()) {
            String value = params.getProperty(key);
            resolved.setProperty(key, PATH_KEYS.contains(key) ? resolvePath(key, value, base) : value);
        }
        return resolved;
    }

    private static String resolvePath(String key, String value, Path base) throws UsageException {
        if (value.isBlank()) {
            return value;
        }
        try {
            return base.resolve(value.strip()).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            throw new UsageException("parameter " + key + " is not a valid path: " + value);
        }
    }

    /** {@code key=value} arguments of {@code -p}, paths resolved against {@code cwd}. */
    static Properties parseOverrides(List<String> assignments, Path cwd) throws UsageException {
        Properties overrides = new Properties();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("-p expects key=value, got '" + assignment + "'");
            }
            overrides.setProperty(assignment.substring(0, eq).strip(), assignment.substring(eq + 1));
        }
        return resolvePaths(overrides, cwd);
    }

    /** {@code base} with {@code overrides} laid over it, as a flat copy. */
    static Properties merge(Properties base, Properties overrides) {
        Properties merged = new Properties();
        for (String key : base.stringPropertyNames()) {
            merged.setProperty(key, base.getProperty(key));
        }
        for (String key : overrides.stringPropertyNames()) {
            merged.setProperty(key, overrides.getProperty(key));
        }
        return merged;
    }

    /**
     * Pins the work directory: the job's default is relative to the current directory, and a
     * restart from elsewhere must find the same ledger.
     */
    static void pinWorkDir(Properties params, Path cwd) {
        params.setProperty(WORK_DIR, workDir(params, cwd).toString());
    }

    /** The work directory an execution uses: its parameter, else the job's default under {@code cwd}. */
    static Path workDir(Properties params, Path cwd) {
        String workDir = params.getProperty(WORK_DIR);
        return (workDir == null || workDir.isBlank() ? cwd.resolve(DEFAULT_WORK_DIR) : Path.of(workDir.strip()))
                .toAbsolutePath().normalize();
    }

    /**
     * Refuses names job llm-batch does not know before JobOperator stores them in the job
     * repository, in clear text: a secret given as a parameter must not get that far.
     */
    static void requireKnown(Properties params) throws UsageException {
        try {
            ParameterNames.requireKnown(params.stringPropertyNames());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Parameters whose line breaks the job reads back from {@code \n} (see JobSettings). */
    private static final Set<String> TEMPLATES = Set.of("systemPrompt", "userTemplate");

    /**
     * JBeret's JDBC repository stores the parameters as one {@code key = value} line each, so a
     * value with a line break would come back cut off on a restart from a new JVM. In the two
     * templates a line break is written as {@code \n}, which the job reads as a line break; in
     * any other parameter it is refused here, before anything runs.
     */
    static void requireStorable(Properties params) throws UsageException {
        for (String key : params.stringPropertyNames()) {
            String value = params.getProperty(key);
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                if (!TEMPLATES.contains(key)) {
                    throw new UsageException("parameter " + key + " contains a line break; the job repository keeps"
                            + " one line per parameter, so a restart would see only its first line."
                            + " Put it on one line.");
                }
                params.setProperty(key, value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"));
            }
            if (key.isEmpty() || key.contains(" = ")) {
                throw new UsageException("parameter name '" + key + "' cannot be stored in the job repository");
            }
        }
    }

}
