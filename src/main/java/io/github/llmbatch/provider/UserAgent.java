package io.github.llmbatch.provider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code llm-batch/<version>}, the version from a resource the build fills in (Maven resource
 * filtering, so tests see it too). A build that skipped the filtering sends {@code llm-batch/unknown}
 * rather than failing every call; RequestHeadersTest catches that.
 */
public final class UserAgent {

    public static final String VALUE = "llm-batch/" + version();

    private UserAgent() {
    }

    private static String version() {
        try (InputStream in = UserAgent.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String version = p.getProperty("version", "").strip();
            return version.isEmpty() || version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
