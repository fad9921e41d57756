package io.github.llmbatch.provider;

import io.github.llmbatch.provider.anthropic.AnthropicProfile;
import io.github.llmbatch.provider.azure.AzureProfile;
import io.github.llmbatch.provider.gemini.GeminiProfile;
import io.github.llmbatch.provider.openai.OpenAiProfile;

import java.util.List;
import java.util.Locale;

/** The providers the job knows, by name. Adding one is one line in {@link #KNOWN}. */
public final class ProviderProfiles {

    private static final List<ProviderProfile> KNOWN = List.of(
            new OpenAiProfile(),
            new GeminiProfile(),
            new AzureProfile(),
            new AnthropicProfile());

    /** The provider of a job that names none. */
    public static final String DEFAULT = OpenAiProfile.NAME;

    private ProviderProfiles() {
    }

    /**
     * The profile of this name (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the known providers when there is none
     */
    public static ProviderProfile named(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (ProviderProfile profile : KNOWN) {
            if (profile.name().equals(wanted)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("provider '" + name.strip() + "' is not supported; the known providers are "
                + String.join(", ", names()));
    }

    public static List<ProviderProfile> all() {
        return KNOWN;
    }

    public static List<String> names() {
        return KNOWN.stream().map(ProviderProfile::name).toList();
    }
}
