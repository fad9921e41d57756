package io.github.llmbatch.cli;

import java.nio.file.Path;

/**
 * Where JBeret's job repository is. {@code jberet.properties} takes the URL from
 * {@code LLM_BATCH_REPOSITORY}; without it the URL names the H2 file {@code ./job-repository},
 * and this class points H2's base directory at {@code ~/.llm-batch} so that "./" means there
 * (JBeret's {@code ${VAR:default}} syntax does not allow '~' in a default).
 */
final class JobRepositoryLocation {

    static final String ENV = "LLM_BATCH_REPOSITORY";
    private static final String H2_BASE_DIR = "h2.baseDir";

    private JobRepositoryLocation() {
    }

    /** Must run before H2 is loaded. */
    static void apply() {
        if (url() == null && System.getProperty(H2_BASE_DIR) == null) {
            System.setProperty(H2_BASE_DIR, defaultDirectory().toString());
        }
    }

    static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".llm-batch");
    }

    /** For the help text; a password in the URL is masked. */
    static String describe() {
        String url = url();
        if (url != null) {
            return url.replaceAll("(?i)(password=)[^;&]*", "$1***") + " (from " + ENV + ")";
        }
        String base = System.getProperty(H2_BASE_DIR);
        Path dir = base == null ? defaultDirectory() : Path.of(base);
        return dir.resolve("job-repository.mv.db").toString();
    }

    private static String url() {
        String url = System.getenv(ENV);
        return url == null || url.isBlank() ? null : url;
    }
}
