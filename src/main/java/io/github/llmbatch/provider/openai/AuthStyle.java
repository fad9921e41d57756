package io.github.llmbatch.provider.openai;

/** How the API key is sent. */
public enum AuthStyle {
    /** {@code Authorization: Bearer <key>} (openai.com; also Azure with an Entra ID token as the key). */
    BEARER,
    /** {@code api-key: <key>} (Azure OpenAI resource keys). */
    AZURE_API_KEY
}
