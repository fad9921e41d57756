package io.github.llmbatch.provider;

import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.openai.core.ObjectMappers;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.responses.ResponseUsage;
import io.github.llmbatch.provider.anthropic.AnthropicProfile;
import io.github.llmbatch.provider.azure.AzureProfile;
import io.github.llmbatch.provider.gemini.GeminiProfile;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each provider's usage, from result lines shaped as the providers write them (BATCH-PROTOCOLS.md and
 * the official SDKs' types), decoded by the provider's own decoder, to the tokens the bill counts.
 */
class TokenUsageTest {

    private static Optional<TokenUsage> usage(ProviderProfile profile, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        ResultLine result = profile.resultDecoder(List.of()).decode(bytes, 0, bytes.length);
        assertEquals(ResultLine.Kind.SUCCEEDED, result.kind(), line);
        return profile.usageOf(result);
    }

    private static Optional<TokenUsage> usageJson(ProviderProfile profile, String usageJson) {
        return profile.usageOf(new ResultLine("x", ResultLine.Kind.SUCCEEDED, 200, null, null, "\"a\"", usageJson));
    }

    private static Optional<TokenUsage> tokens(long input, long cached, long output) {
        return Optional.of(new TokenUsage(input, cached, output));
    }

    private static String openAiLine(String body) {
        return "{\"id\":\"batch_req_a1\",\"custom_id\":\"q-0001\",\"response\":{\"status_code\":200,"
                + "\"request_id\":\"req_11\",\"body\":" + body + "},\"error\":null}";
    }

    @Test
    void openAiChatCountsCachedPromptTokensAsAPartOfTheInput() {
        String line = openAiLine("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1767226000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"11\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":2006,"
                + "\"completion_tokens\":300,\"total_tokens\":2306,\"prompt_tokens_details\":{\"cached_tokens\":1920,"
                + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":64,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}");

        assertEquals(tokens(2006, 1920, 300), usage(new OpenAiProfile(), line), "reasoning is inside completion_tokens");
        assertEquals(tokens(2006, 1920, 300), usage(new AzureProfile(), line));
        // the protocol document's line: no details at all
        assertEquals(tokens(12, 0, 1), usage(new OpenAiProfile(), openAiLine("{\"id\":\"chatcmpl-1\",\"object\":"
                + "\"chat.completion\",\"created\":1767226000,\"model\":\"gpt-x-mini\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"11\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}}")));
    }

    @Test
    void openAiEmbeddingsHaveInputOnly() {
        String line = openAiLine("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":[0.0023,-0.0093]}],\"model\":\"text-embedding-3-small\","
                + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}");

        assertEquals(tokens(8, 0, 0), usage(new OpenAiProfile(), line));
    }

    @Test
    void openAiResponsesUsageNamesItsFieldsInputAndOutput() {
        String line = openAiLine("{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\","
                + "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"hi\"}]}],"
                + "\"usage\":{\"input_tokens\":1536,\"input_tokens_details\":{\"cached_tokens\":1024},"
                + "\"output_tokens\":87,\"output_tokens_details\":{\"reasoning_tokens\":40},\"total_tokens\":1623}}");

        assertEquals(tokens(1536, 1024, 87), usage(new OpenAiProfile(), line));
    }

    @Test
    void openAiUsageAsTheSdkWritesIt() throws Exception {
        CompletionUsage chat = CompletionUsage.builder().promptTokens(2006).completionTokens(300).totalTokens(2306)
                .promptTokensDetails(CompletionUsage.PromptTokensDetails.builder().cachedTokens(1920).build())
                .build();
        ResponseUsage responses = ResponseUsage.builder().inputTokens(1536).outputTokens(87).totalTokens(1623)
                .inputTokensDetails(ResponseUsage.InputTokensDetails.builder().cachedTokens(1024).build())
                .outputTokensDetails(ResponseUsage.OutputTokensDetails.builder().reasoningTokens(40).build())
                .build();

        assertEquals(tokens(2006, 1920, 300),
                usageJson(new OpenAiProfile(), ObjectMappers.jsonMapper().writeValueAsString(chat)));
        assertEquals(tokens(1536, 1024, 87),
                usageJson(new OpenAiProfile(), ObjectMappers.jsonMapper().writeValueAsString(responses)));
    }

    @Test
    void anthropicInputIsTheUncachedPlusTheCacheReadsAndWrites() {
        String line = "{\"custom_id\":\"doc-001\",\"result\":{\"type\":\"succeeded\",\"message\":{\"id\":\"msg_01X\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5-20251001\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"A short summary.\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":40,\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":2000,"
                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":100,\"ephemeral_1h_input_tokens\":0},"
                + "\"output_tokens\":6,\"service_tier\":\"batch\"}}}}";

        assertEquals(tokens(2140, 2000, 6), usage(new AnthropicProfile(), line));
        // the protocol document's line: no cache fields
        assertEquals(tokens(40, 0, 6), usage(new AnthropicProfile(), "{\"custom_id\":\"doc-001\",\"result\":{\"type\":"
                + "\"succeeded\",\"message\":{\"id\":\"msg_01X\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                + "\"claude-x\",\"content\":[{\"type\":\"text\",\"text\":\"A short summary.\"}],\"stop_reason\":"
                + "\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":40,\"output_tokens\":6}}}}"));
    }

    @Test
    void anthropicFieldNamesAreTheSdks() throws Exception {
        String json = "{\"input_tokens\":40,\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":2000,"
                + "\"output_tokens\":6,\"service_tier\":\"batch\"}";
        com.anthropic.models.messages.Usage sdk = com.anthropic.core.ObjectMappers.jsonMapper()
                .readValue(json, com.anthropic.models.messages.Usage.class);

        TokenUsage ours = usageJson(new AnthropicProfile(), json).orElseThrow();
        assertEquals(sdk.inputTokens() + sdk.cacheReadInputTokens().orElseThrow()
                + sdk.cacheCreationInputTokens().orElseThrow(), ours.inputTokens());
        assertEquals(sdk.cacheReadInputTokens().orElseThrow(), ours.cachedInputTokens());
        assertEquals(sdk.outputTokens(), ours.outputTokens());
    }

    @Test
    void geminiPromptIncludesTheCachedTokensAndThinkingIsOutput() {
        String line = "{\"key\":\"row-1\",\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":"
                + "[{\"text\":\"fast\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{"
                + "\"promptTokenCount\":1200,\"cachedContentTokenCount\":1000,\"candidatesTokenCount\":50,"
                + "\"thoughtsTokenCount\":120,\"totalTokenCount\":1370,\"promptTokensDetails\":[{\"modality\":\"TEXT\","
                + "\"tokenCount\":1200}]},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-abc\"}}";

        assertEquals(tokens(1200, 1000, 170), usage(new GeminiProfile(), line));
        // the protocol document's line, zero counts left out as proto-JSON does
        assertEquals(tokens(7, 0, 1), usage(new GeminiProfile(), "{\"key\":\"row-1\",\"response\":{\"candidates\":"
                + "[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"fast\"}]},\"finishReason\":\"STOP\","
                + "\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":7,\"candidatesTokenCount\":1,"
                + "\"totalTokenCount\":8},\"modelVersion\":\"gemini-x-flash\",\"responseId\":\"r-abc\"}}"));
    }

    @Test
    void geminiUsageAsTheSdkWritesIt() {
        String json = GenerateContentResponseUsageMetadata.builder().promptTokenCount(1200)
                .cachedContentTokenCount(1000).candidatesTokenCount(50).thoughtsTokenCount(120)
                .toolUsePromptTokenCount(30).totalTokenCount(1400).build().toJson();

        assertEquals(tokens(1230, 1000, 170), usageJson(new GeminiProfile(), json), json);
    }

    @Test
    void missingOrGarbledUsageIsUnknownNeverZero() {
        for (ProviderProfile p : List.of(new OpenAiProfile(), new AnthropicProfile(), new GeminiProfile())) {
            assertEquals(Optional.empty(), usageJson(p, null), p.name());
            assertEquals(Optional.empty(), usageJson(p, "{}"), p.name());
            assertEquals(Optional.empty(), usageJson(p, "[1,2]"), p.name());
            assertEquals(Optional.empty(), usageJson(p, "{\"prompt_tokens\":"), p.name());
        }
        assertEquals(Optional.empty(), usageJson(new OpenAiProfile(), "{\"prompt_tokens\":\"many\",\"completion_tokens\":1}"));
        assertEquals(Optional.empty(), usageJson(new OpenAiProfile(), "{\"prompt_tokens\":-3,\"completion_tokens\":1}"));
        assertEquals(Optional.empty(), usageJson(new OpenAiProfile(),
                "{\"prompt_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":9},\"completion_tokens\":1}"));
        assertEquals(Optional.empty(), usageJson(new AnthropicProfile(), "{\"input_tokens\":4}"), "no output_tokens");
        assertEquals(Optional.empty(), usageJson(new GeminiProfile(), "{\"candidatesTokenCount\":4}"));
        // proto-JSON may write counts as strings
        assertEquals(tokens(7, 0, 1), usageJson(new GeminiProfile(),
                "{\"promptTokenCount\":\"7\",\"candidatesTokenCount\":\"1\"}"));
    }
}
