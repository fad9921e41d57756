package io.github.llmbatch.provider.azure;

import io.github.llmbatch.provider.BatchLimits;
import io.github.llmbatch.provider.BatchProvider;
import io.github.llmbatch.provider.BatchState;
import io.github.llmbatch.provider.HttpTimeouts;
import io.github.llmbatch.provider.ProviderProfiles;
import io.github.llmbatch.provider.RemoteBatch;
import io.github.llmbatch.provider.ScriptedServer;
import io.github.llmbatch.provider.ScriptedServer.Received;
import io.github.llmbatch.provider.ScriptedServer.Reply;
import io.github.llmbatch.provider.StopRequest;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import io.github.llmbatch.request.CustomIdPolicy;
import io.github.llmbatch.request.Endpoint;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AzureProfileTest {

    private static final String KEY = "az-test-Q7w2mYv9";

    private final AzureProfile profile = new AzureProfile();

    @Test
    void defaults() {
        assertSame(AzureProfile.class, ProviderProfiles.named(" Azure ").getClass());
        assertEquals("azure", profile.name());
        assertNull(profile.defaultBaseUrl(), "each resource has its own URL");
        assertEquals("https://<resource>.openai.azure.com/openai/v1", profile.baseUrlForm());
        assertEquals("AZURE_OPENAI_API_KEY", profile.defaultApiKeyEnv());
        assertEquals(new BatchLimits(100_000, 200_000_000, 50_000), profile.limits());
        assertEquals(CustomIdPolicy.ANY, profile.customIds());
    }

    @Test
    void endpointsAndLinesAreOpenAis() {
        OpenAiProfile openAi = new OpenAiProfile();
        assertEquals(Endpoint.CHAT_COMPLETIONS, profile.endpoint("/chat/completions"));
        assertEquals(Endpoint.EMBEDDINGS, profile.endpoint("embeddings"));
        assertEquals(openAi.endpointName(Endpoint.CHAT_COMPLETIONS), profile.endpointName(Endpoint.CHAT_COMPLETIONS));
        byte[] line = "{\"custom_id\":\"a.b/c\",\"method\":\"POST\"}".getBytes();
        assertEquals("a.b/c", profile.customIdOf(line, 0, line.length));
        assertEquals("http://127.0.0.1:4321/openai/v1", profile.embeddedBaseUrl(URI.create("http://127.0.0.1:4321/")));
    }

    @Test
    void withoutABaseUrlNothingIsOpenedAndTheMessageShowsTheShape() {
        for (String missing : new String[] {null, " "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> profile.open(missing, KEY, HttpTimeouts.DEFAULT, StopRequest.NEVER));
            assertTrue(e.getMessage().contains("baseUrl") && e.getMessage().contains(AzureProfile.BASE_URL_FORM),
                    e.getMessage());
        }
    }

    @Test
    void sendsTheKeyAsApiKeyAndReadsAzuresBatchShapes() throws Exception {
        String azure = "{\"id\":\"batch_az\",\"object\":\"batch\",\"status\":\"InProgress\","
                + "\"created_at\":\"2026-01-01T00:00:00Z\",\"expires_at\":null,"
                + "\"request_counts\":{\"total\":null,\"completed\":null,\"failed\":null}}";
        try (ScriptedServer server = new ScriptedServer(r -> Reply.json(200, azure));
             BatchProvider provider = profile.open(server.uri("/openai/v1").toString(), KEY, HttpTimeouts.DEFAULT,
                     StopRequest.NEVER)) {
            RemoteBatch batch = provider.getBatch("batch_az");

            assertEquals(new RemoteBatch("batch_az", BatchState.IN_PROGRESS, "InProgress", 0, 0, 0, null, null,
                    List.of(), null), batch);
            Received request = server.received().get(0);
            assertEquals("/openai/v1/batches/batch_az", request.path());
            assertEquals(KEY, request.header("api-key"));
            assertNull(request.header("Authorization"), "the Azure key never goes out as a bearer token");
        }
    }
}
