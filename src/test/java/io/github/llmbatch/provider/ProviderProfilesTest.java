package io.github.llmbatch.provider;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderProfilesTest {

    @Test
    void profilesAreFoundByNameInAnyCase() {
        assertEquals("openai", ProviderProfiles.named("openai").name());
        assertEquals("openai", ProviderProfiles.named(" OpenAI ").name());
        assertEquals("openai", ProviderProfiles.named(ProviderProfiles.DEFAULT).name());
    }

    @Test
    void anUnknownNameIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProviderProfiles.named("anthropic-x"));
        assertEquals("provider 'anthropic-x' is not supported; the known providers are "
                + String.join(", ", ProviderProfiles.names()), e.getMessage());
        assertTrue(ProviderProfiles.names().contains("openai"));
    }

    @Test
    void namesAreUniqueAndLowerCase() {
        List<String> names = ProviderProfiles.names();
        assertEquals(names.size(), new HashSet<>(names).size());
        names.forEach(n -> assertEquals(n.toLowerCase(java.util.Locale.ROOT), n));
    }
}
