package io.github.llmbatch.job;

import io.github.llmbatch.emulator.EmbeddedEmulator;
import io.github.llmbatch.provider.BatchProvider;
import io.github.llmbatch.provider.HttpTimeouts;
import io.github.llmbatch.provider.ProviderProfile;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.StopRequest;

import java.net.URI;
import java.util.List;

/**
 * Opens the provider a job names, through its profile. The API key comes from the environment variable
 * (or system property) named by {@code apiKeyEnv} (never from a job parameter: those are stored in clear
 * text); the embedded emulator needs none.
 */
final class Providers {

    /** Sent to the embedded emulator, which only checks that some key is there. */
    private static final String EMULATOR_KEY = "emulator";

    private Providers() {
    }

    /**
     * Fails before anything is read when the key is missing (naming the variable) or when the
     * provider refuses its base URL or the key's form: opening it checks both and calls nothing.
     */
    static void requireUsable(JobSettings settings) {
        if (!settings.embedded()) {
            open(settings, StopRequest.NEVER).close();
        }
    }

    /** @param stop ends the provider's calls in flight and its waits to retry when the step is stopped */
    static BatchProvider open(JobSettings settings, StopRequest stop) {
        ProviderProfile profile = settings.profile();
        HttpTimeouts timeouts = HttpTimeouts.of(settings.httpTimeout());
        if (settings.embedded()) {
            URI emulator = EmbeddedEmulator.shared(settings.emulatorFaults()).baseUrl().resolve("/");
            return profile.open(profile.embeddedBaseUrl(emulator), EMULATOR_KEY, timeouts, stop);
        }
        return profile.open(settings.baseUrl(), apiKey(settings), timeouts, stop);
    }

    /**
     * Reads the provider's result lines; needs no connection. Error messages are scrubbed of the key
     * when it is at hand (a provider may quote it back).
     */
    static ResultDecoder resultDecoder(JobSettings settings) {
        String key = settings.embedded() ? EMULATOR_KEY : keyOrNull(settings);
        return settings.profile().resultDecoder(key == null ? List.of() : List.of(key.strip()));
    }

    /**
     * The environment first, then a system property of the same name: in WildFly that property
     * may hold an Elytron encrypted expression, which the server decrypts (server-config/README.md).
     */
    private static String apiKey(JobSettings settings) {
        String key = keyOrNull(settings);
        if (key == null) {
            throw new IllegalStateException("no API key: set the environment variable " + settings.apiKeyEnv()
                    + " (named by job parameter apiKeyEnv; in a server also a system property of that name),"
                    + " or use baseUrl=embedded to run against the emulator");
        }
        return key;
    }

    private static String keyOrNull(JobSettings settings) {
        String key = System.getenv(settings.apiKeyEnv());
        if (key == null || key.isBlank()) {
            key = System.getProperty(settings.apiKeyEnv());
        }
        return key == null || key.isBlank() ? null : key;
    }
}
