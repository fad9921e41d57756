package io.github.llmbatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Quiet by default: java.util.logging (which JBeret and Weld log through, via jboss-logging) at
 * WARNING on stderr, except the provider calls' waits (retries, slow or hung calls), shown at INFO
 * so that no long wait goes unseen. {@code LLM_BATCH_LOG_LEVEL} (e.g. INFO, FINE) raises it for
 * debugging; an explicit {@code -Djava.util.logging.config.file} is left alone.
 */
final class CliLogging {

    static final String LEVEL_ENV = "LLM_BATCH_LOG_LEVEL";
    private static final String CONFIG = "logging.properties";
    /** Held so that the level set on it stays (the log manager keeps loggers weakly). */
    private static final Logger WAITS = Logger.getLogger("io.github.llmbatch.provider.HttpTransport");

    private CliLogging() {
    }

    static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        try (InputStream in = CliLogging.class.getResourceAsStream(CONFIG)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + CONFIG);
            }
            LogManager.getLogManager().readConfiguration(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Level level = level(System.getenv(LEVEL_ENV));
        if (level != null) {
            Logger.getLogger("").setLevel(level);
            if (level.intValue() < Level.INFO.intValue()) {
                WAITS.setLevel(level);
            }
        }
    }

    /** Runs {@code action} just before each log record the root handlers print. */
    static void beforeEachRecord(Runnable action) {
        beforeEachRecord(action, Logger.getLogger("").getHandlers());
    }

    static void beforeEachRecord(Runnable action, Handler... handlers) {
        for (Handler handler : handlers) {
            Filter previous = handler.getFilter();
            handler.setFilter(record -> {
                if (previous != null && !previous.isLoggable(record)) {
                    return false;
                }
                action.run();
                return true;
            });
        }
    }

    /** The level named in the variable, or null when unset or not a level name. */
    static Level level(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Level.parse(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("llm-batch: ignoring " + LEVEL_ENV + "=" + value + " (use e.g. WARNING, INFO, FINE)");
            return null;
        }
    }
}
