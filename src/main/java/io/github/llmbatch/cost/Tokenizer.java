package io.github.llmbatch.cost;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.ModelType;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts text in a model's tokens. OpenAI-family models are counted with the encoding the model
 * uses (jtokkit); any other model (Anthropic's and Google's tokenizers are not public, an Azure
 * deployment name says nothing) is counted with o200k_base as an approximation, said so by
 * {@link #exact()}. Chosen from the model name alone, so no provider name is needed here.
 */
public final class Tokenizer {

    /** Model name prefixes of OpenAI's o200k_base models; checked before the cl100k ones (gpt-4o before gpt-4). */
    private static final String[] O200K = {"gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4",
            "gpt-oss", "omni-moderation", "codex-"};
    private static final String[] CL100K = {"gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada-002"};

    private final EncodingType type;
    private final boolean exact;
    /**
     * Loading an encoding takes seconds (o200k_base's 200,000 ranks), so it starts in the background
     * when the tokenizer is made and the first count waits for it: prepare reads and writes
     * meanwhile, and the time counting measures includes any wait.
     */
    private final CompletableFuture<Encoding> loading;

    private Tokenizer(EncodingType type, boolean exact) {
        this.type = type;
        this.exact = exact;
        this.loading = Registry.load(type);
    }

    public static Tokenizer forModel(String model) {
        String name = model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("models/")) {
            name = name.substring("models/".length());
        }
        for (String prefix : O200K) {
            if (name.startsWith(prefix)) {
                return new Tokenizer(EncodingType.O200K_BASE, true);
            }
        }
        for (String prefix : CL100K) {
            if (name.startsWith(prefix)) {
                return new Tokenizer(EncodingType.CL100K_BASE, true);
            }
        }
        Optional<ModelType> known = ModelType.fromName(name);
        return known.map(t -> new Tokenizer(t.getEncodingType(), true))
                .orElseGet(() -> new Tokenizer(EncodingType.O200K_BASE, false));
    }

    /**
     * Tokens of a text as a request's content is billed: special-token text in it is ordinary
     * text to the provider, so it is counted as such.
     */
    public int count(String text) {
        return loading.join().countTokensOrdinary(text);
    }

    /** Completes when the encoding is loaded: counting before that waits for it. */
    public CompletableFuture<?> loaded() {
        return loading;
    }

    /** True when this is the model's own encoding, false when an approximation. */
    public boolean exact() {
        return exact;
    }

    /** The encoding's name, e.g. {@code o200k_base}. */
    public String encoding() {
        return type.getName();
    }

    /** One registry per JVM: loading an encoding's ranks takes a while and they never change. */
    private static final class Registry {
        private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
        private static final Map<EncodingType, CompletableFuture<Encoding>> LOADED = new ConcurrentHashMap<>();

        static CompletableFuture<Encoding> load(EncodingType type) {
            return LOADED.computeIfAbsent(type, t -> {
                CompletableFuture<Encoding> future = new CompletableFuture<>();
                Thread loader = new Thread(() -> {
                    try {
                        future.complete(REGISTRY.getEncoding(t));
                    } catch (RuntimeException | Error e) {
                        future.completeExceptionally(e);
                    }
                }, "llm-batch-load-" + t.getName());
                loader.setDaemon(true);
                loader.start();
                return future;
            });
        }
    }
}
