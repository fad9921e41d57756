package io.github.llmbatch.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the emulator should get wrong on purpose, parsed from a spec string
 * {@code key=value;key=value} (blanks around keys and values are ignored; a key may appear once).
 *
 * <h2>HTTP faults</h2>
 * Value {@code STATUSxCOUNT}, several separated by commas and used in that order, e.g.
 * {@code retrieve=502x2,500x1}; {@code xCOUNT} may be left out (= x1). The next COUNT calls of that
 * route are answered with STATUS and the standard error body, without doing anything. STATUS may
 * also be {@code reset} (the connection is closed without an answer) or {@code hang} (no answer
 * until the client gives up or the emulator stops, at most {@value ApiException#HANG_MINUTES}
 * minutes), e.g. {@code retrieve=hang} or {@code uploadLost=reset}.
 * Faults count calls that passed authentication, in arrival order.
 * <table>
 * <tr><th>key</th><th>route</th></tr>
 * <tr><td>{@code upload}</td><td>{@code POST /files}</td></tr>
 * <tr><td>{@code files}</td><td>{@code GET /files}</td></tr>
 * <tr><td>{@code file}</td><td>{@code GET /files/{id}}</td></tr>
 * <tr><td>{@code content}</td><td>{@code GET /files/{id}/content}</td></tr>
 * <tr><td>{@code delete}</td><td>{@code DELETE /files/{id}}</td></tr>
 * <tr><td>{@code create}</td><td>{@code POST /batches}</td></tr>
 * <tr><td>{@code retrieve}</td><td>{@code GET /batches/{id}}</td></tr>
 * <tr><td>{@code list}</td><td>{@code GET /batches}</td></tr>
 * <tr><td>{@code cancel}</td><td>{@code POST /batches/{id}/cancel}</td></tr>
 * <tr><td>{@code uploadLost}</td><td>{@code POST /files}: the file IS stored, but the answer is replaced by
 *     STATUS (a lost response; tests reconciliation by file name)</td></tr>
 * <tr><td>{@code createLost}</td><td>{@code POST /batches}: the batch IS created, but the answer is replaced
 *     by STATUS (tests reconciliation by metadata)</td></tr>
 * <tr><td>{@code deleteBatch}</td><td>Gemini only: {@code DELETE /v1beta/batches/{id}}</td></tr>
 * </table>
 * {@code retryAfter=SECONDS} adds a {@code Retry-After} header to every injected 429 and 503 answer (on
 * Gemini routes also a {@code google.rpc.RetryInfo} detail with {@code retryDelay}, which Google's SDKs read).
 *
 * <p>The same keys target the Gemini routes ({@link GeminiApi}; answers in Google's error shape):
 * {@code upload} counts both calls of a resumable upload (the start and the chunk to the session URL);
 * {@code uploadLost} hits the finalizing chunk: the file IS stored (a repeated finalize on the session URL
 * answers it); {@code files}, {@code file}, {@code delete} and {@code content} (the {@code :download})
 * are the file calls; {@code create} ({@code :batchGenerateContent} and {@code :asyncBatchEmbedContent}),
 * {@code createLost} (the batch IS created: find it again by {@code displayName}), {@code retrieve},
 * {@code list} and {@code cancel} the batch calls. Counts are shared: {@code create=429x1} hits the first
 * create call of any protocol.
 *
 * <p>And the Anthropic Message Batches routes ({@link AnthropicApi}; answers in Anthropic's error shape, the
 * type from the status: 400 {@code invalid_request_error}, 429 {@code rate_limit_error}, 500
 * {@code api_error}, 529 {@code overloaded_error} …): {@code create} ({@code POST /v1/messages/batches}, e.g.
 * {@code create=529x1}, Anthropic's "overloaded"), {@code createLost} (the batch IS created: find it again by
 * listing), {@code retrieve}, {@code list}, {@code cancel}, {@code deleteBatch}
 * ({@code DELETE /v1/messages/batches/{id}}) and {@code content} (the {@code results_url}). {@code retryAfter}
 * also goes on injected 529 answers there.
 *
 * <h2>Per-request faults</h2>
 * Value: a Java regular expression that must match the whole {@code custom_id} (it cannot contain
 * {@code ;}).
 * <ul>
 * <li>{@code fail400=REGEX} matching requests get a 400 result line, every time (permanent).</li>
 * <li>{@code fail500=REGEX} the first time a matching custom_id is run (in any batch of this emulator)
 *     its result line is an HTTP 500; later runs succeed.</li>
 * <li>{@code fail429=REGEX} likewise with HTTP 429.</li>
 * <li>{@code overloaded=REGEX} likewise, the provider being overloaded: OpenAI 503 {@code server_error},
 *     Gemini 503 UNAVAILABLE, Anthropic {@code overloaded_error}.</li>
 * <li>{@code timeout=REGEX} first time: a never-executed line with error code {@code request_timeout}.</li>
 * <li>{@code drop=REGEX} first time: the request is counted as completed but appears in neither the
 *     output nor the error file (a gap).</li>
 * <li>{@code invalidOutput=REGEX} matching requests that ask for a structured answer (a response schema)
 *     succeed, every time, with a broken one: the JSON cut in half, or on Anthropic a tool input whose
 *     every property has the wrong type ({@link AnswerSchema}). Requests without a schema are answered
 *     as usual.</li>
 * </ul>
 * When several first-time faults match one custom_id they apply one per run, in the order
 * fail500, fail429, overloaded, timeout, drop; {@code fail400} wins over all of them. On Gemini they match the
 * line's {@code key}, and a failed line is {@code {"key", "error": Status}} in the responses file (400
 * INVALID_ARGUMENT, 500 INTERNAL, 429 RESOURCE_EXHAUSTED, timeout 504 DEADLINE_EXCEEDED). On Anthropic they
 * match the request's {@code custom_id}, and a failed request is an {@code errored} result whose
 * {@code error.error.type} is {@code invalid_request_error} (fail400), {@code api_error} (fail500),
 * {@code rate_limit_error} (fail429), {@code overloaded_error} (overloaded) or {@code timeout_error}
 * (timeout); a dropped one has no result line but counts as succeeded.
 *
 * <h2>Per-batch faults</h2>
 * Value: 1-based ordinals of created batches (counted over all batches this emulator created),
 * comma-separated, e.g. {@code expire=2,5}.
 * <ul>
 * <li>{@code expire=N} the batch expires after running the first half of its lines: status
 *     {@code expired}, finished lines in the output file, the rest {@code batch_expired} in the error file.</li>
 * <li>{@code allFail=N} the batch ends {@code completed} with every line an HTTP 500 failure and
 *     {@code output_file_id} null.</li>
 * <li>{@code tokenLimit=N} the batch turns {@code failed} after validation with one
 *     {@code token_limit_exceeded} error.</li>
 * </ul>
 * Ordinals count the batches of every protocol together. On Azure batches (created below {@code /openai})
 * {@code expire=N} does not apply: Azure runs a batch until it is done or cancelled ({@link AzureBatchFormat}). On Gemini: {@code expire=N} ends the batch
 * {@code BATCH_STATE_EXPIRED} with no results at all and without running any request (§C.4);
 * {@code allFail=N} ends it {@code BATCH_STATE_SUCCEEDED} with every line an INTERNAL error;
 * {@code tokenLimit=N} ends it {@code BATCH_STATE_FAILED} with a RESOURCE_EXHAUSTED {@code error}.
 * On Anthropic: {@code expire=N} ends the batch with the first half of its requests run and the rest
 * {@code expired} (as OpenAI's); {@code allFail=N} ends it with every request errored {@code api_error};
 * {@code tokenLimit=N} ends it without running anything, every request errored {@code rate_limit_error}.
 * A Message Batch is always {@code ended} with one result per request.
 * <ul>
 * <li>{@code fileLag=N} (Gemini) a succeeded batch is reported {@code BATCH_STATE_SUCCEEDED} (and
 *     {@code done}) without {@code metadata.output} and {@code response} for its first N gets, as one
 *     client observed live (§C.3); the (N+1)th get names the responses file. Lists show the lag without
 *     using it up.</li>
 * </ul>
 *
 * <h2>Damaged downloads</h2>
 * Value: a count N. The stored file stays whole; only what is sent is damaged, so a download after
 * the first N gets the file as it is.
 * <ul>
 * <li>{@code corruptOutput=N} the first N downloads of batch output files (not error files) have the
 *     second half of their middle line replaced with bytes that are not JSON (the emulator's lines
 *     start with their {@code custom_id}, which stays readable).</li>
 * <li>{@code truncateOutput=N} the first N downloads of batch output files end in the middle of
 *     their middle line, as a download cut short does.</li>
 * </ul>
 * Both count the same downloads: {@code corruptOutput} is used up first; Gemini responses files count
 * among them, and so do Anthropic {@code results_url} downloads.
 *
 * <h2>Behaviour</h2>
 * <ul>
 * <li>{@code shuffle=true|false} result lines in shuffled (default) or input order.</li>
 * <li>{@code validatingMs}, {@code inProgressMs}, {@code finalizingMs}, {@code cancellingMs}: state
 *     durations, overriding {@link EmulatorTimings} (a Message Batch is {@code in_progress} through the first
 *     three and {@code canceling} through the last).</li>
 * <li>{@code maxRequests}, {@code maxInputBytes}, {@code maxUploadBytes}, {@code maxEmbeddingInputs}:
 *     limits, overriding {@link EmulatorLimits}; {@code maxRequests} and {@code maxInputBytes} also lower
 *     Anthropic's (100,000 requests and 256 MB per create body, see {@link AnthropicLimits}).</li>
 * </ul>
 *
 * <p>A plan is an immutable description; each {@link EmulatorServer} keeps its own count of what
 * has been injected.
 */
public final class FaultPlan {

    private static final String LOST_SUFFIX = "Lost";
    private static final Set<ApiRoute> LOSABLE = Set.of(ApiRoute.UPLOAD, ApiRoute.CREATE_BATCH);

    private static final Set<String> KEYS;

    static {
        Set<String> keys = new TreeSet<>();
        for (ApiRoute route : ApiRoute.values()) {
            keys.add(route.faultKey());
        }
        for (ApiRoute route : LOSABLE) {
            keys.add(route.faultKey() + LOST_SUFFIX);
        }
        keys.addAll(List.of("retryAfter", "fail400", "fail500", "fail429", "overloaded", "timeout", "drop",
                "invalidOutput", "expire",
                "allFail",
                "tokenLimit", "fileLag", "corruptOutput", "truncateOutput", "shuffle", "validatingMs", "inProgressMs", "finalizingMs", "cancellingMs",
                "maxRequests", "maxInputBytes", "maxUploadBytes", "maxEmbeddingInputs"));
        KEYS = Collections.unmodifiableSet(keys);
    }

    private static final FaultPlan NONE = new FaultPlan("", Map.of());

    /** One injected HTTP answer: STATUS (or {@link #RESET}, {@link #HANG}) for the next COUNT calls. */
    record HttpFault(int status, int count) {
        static final int RESET = -1;
        static final int HANG = -2;
    }

    private final String spec;
    private final Map<ApiRoute, List<HttpFault>> httpFaults = new EnumMap<>(ApiRoute.class);
    private final Map<ApiRoute, List<HttpFault>> lostResponses = new EnumMap<>(ApiRoute.class);
    private final Integer retryAfterSeconds;
    private final Pattern fail400;
    private final Pattern fail500;
    private final Pattern fail429;
    private final Pattern overloaded;
    private final Pattern timeout;
    private final Pattern drop;
    private final Pattern invalidOutput;
    private final Set<Integer> expire;
    private final Set<Integer> allFail;
    private final Set<Integer> tokenLimit;
    private final int corruptOutput;
    private final int truncateOutput;
    private final boolean shuffle;
    private final int fileLag;
    private final Map<String, Long> overrides = new LinkedHashMap<>();

    private FaultPlan(String spec, Map<String, String> values) {
        this.spec = spec;
        for (ApiRoute route : ApiRoute.values()) {
            String value = values.get(route.faultKey());
            if (value != null) {
                httpFaults.put(route, parseHttpFaults(route.faultKey(), value));
            }
            String lost = values.get(route.faultKey() + LOST_SUFFIX);
            if (lost != null) {
                lostResponses.put(route, parseHttpFaults(route.faultKey() + LOST_SUFFIX, lost));
            }
        }
        String retryAfter = values.get("retryAfter");
        this.retryAfterSeconds = retryAfter == null ? null : (int) parseLong("retryAfter", retryAfter, 0, 86_400);
        this.fail400 = parseRegex("fail400", values.get("fail400"));
        this.fail500 = parseRegex("fail500", values.get("fail500"));
        this.fail429 = parseRegex("fail429", values.get("fail429"));
        this.overloaded = parseRegex("overloaded", values.get("overloaded"));
        this.timeout = parseRegex("timeout", values.get("timeout"));
        this.drop = parseRegex("drop", values.get("drop"));
        this.invalidOutput = parseRegex("invalidOutput", values.get("invalidOutput"));
        this.expire = parseOrdinals("expire", values.get("expire"));
        this.allFail = parseOrdinals("allFail", values.get("allFail"));
        this.tokenLimit = parseOrdinals("tokenLimit", values.get("tokenLimit"));
        this.corruptOutput = (int) parseLong("corruptOutput", values.getOrDefault("corruptOutput", "0"), 0,
                Integer.MAX_VALUE);
        this.truncateOutput = (int) parseLong("truncateOutput", values.getOrDefault("truncateOutput", "0"), 0,
                Integer.MAX_VALUE);
        this.shuffle = parseBoolean("shuffle", values.getOrDefault("shuffle", "true"));
        this.fileLag = (int) parseLong("fileLag", values.getOrDefault("fileLag", "0"), 0, Integer.MAX_VALUE);
        for (String key : List.of("validatingMs", "inProgressMs", "finalizingMs", "cancellingMs")) {
            if (values.containsKey(key)) {
                overrides.put(key, parseLong(key, values.get(key), 0, Long.MAX_VALUE));
            }
        }
        for (String key : List.of("maxRequests", "maxEmbeddingInputs")) {
            if (values.containsKey(key)) {
                overrides.put(key, parseLong(key, values.get(key), 1, Integer.MAX_VALUE));
            }
        }
        for (String key : List.of("maxInputBytes", "maxUploadBytes")) {
            if (values.containsKey(key)) {
                overrides.put(key, parseLong(key, values.get(key), 1, Long.MAX_VALUE));
            }
        }
    }

    /** The plan that injects nothing. */
    public static FaultPlan none() {
        return NONE;
    }

    /**
     * Parses a spec string (see the class description); null or blank gives {@link #none()}.
     *
     * @throws IllegalArgumentException naming the offending key or value
     */
    public static FaultPlan parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : spec.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("Emulator fault '" + part.trim() + "' has no value; write key=value");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("Unknown emulator fault key '" + key + "'; known keys: "
                        + String.join(", ", KEYS));
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("Emulator fault key '" + key + "' has an empty value");
            }
            if (values.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("Emulator fault key '" + key + "' is given twice");
            }
        }
        return new FaultPlan(spec.trim(), values);
    }

    /** The keys {@link #parse} accepts. */
    public static Set<String> keys() {
        return KEYS;
    }

    /** The spec this plan was parsed from ({@code ""} for none). */
    public String spec() {
        return spec;
    }

    @Override
    public String toString() {
        return spec.isEmpty() ? "FaultPlan[none]" : "FaultPlan[" + spec + "]";
    }

    List<HttpFault> httpFaults(ApiRoute route) {
        return httpFaults.getOrDefault(route, List.of());
    }

    List<HttpFault> lostResponses(ApiRoute route) {
        return lostResponses.getOrDefault(route, List.of());
    }

    /** Seconds for {@code Retry-After} on injected 429/503 answers, or null for no header. */
    Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    Pattern fail400() {
        return fail400;
    }

    Pattern fail500() {
        return fail500;
    }

    Pattern fail429() {
        return fail429;
    }

    Pattern overloaded() {
        return overloaded;
    }

    Pattern timeout() {
        return timeout;
    }

    Pattern drop() {
        return drop;
    }

    Pattern invalidOutput() {
        return invalidOutput;
    }

    boolean expires(int batchOrdinal) {
        return expire.contains(batchOrdinal);
    }

    boolean failsAll(int batchOrdinal) {
        return allFail.contains(batchOrdinal);
    }

    boolean exceedsTokenLimit(int batchOrdinal) {
        return tokenLimit.contains(batchOrdinal);
    }

    boolean shuffle() {
        return shuffle;
    }

    /** How many polls of a succeeded Gemini batch show it without its responses file. */
    int fileLag() {
        return fileLag;
    }

    /** How many output-file downloads are sent with a line that is not JSON. */
    int corruptOutput() {
        return corruptOutput;
    }

    /** How many output-file downloads (after the corrupted ones) are cut mid-line. */
    int truncateOutput() {
        return truncateOutput;
    }

    /** Timings with this plan's timing keys applied. */
    EmulatorTimings applyTo(EmulatorTimings timings) {
        EmulatorTimings result = timings;
        if (overrides.containsKey("validatingMs")) {
            result = result.withValidatingMs(overrides.get("validatingMs"));
        }
        if (overrides.containsKey("inProgressMs")) {
            result = result.withInProgressMs(overrides.get("inProgressMs"));
        }
        if (overrides.containsKey("finalizingMs")) {
            result = result.withFinalizingMs(overrides.get("finalizingMs"));
        }
        if (overrides.containsKey("cancellingMs")) {
            result = result.withCancellingMs(overrides.get("cancellingMs"));
        }
        return result;
    }

    /** Limits with this plan's limit keys applied. */
    EmulatorLimits applyTo(EmulatorLimits limits) {
        EmulatorLimits result = limits;
        if (overrides.containsKey("maxRequests")) {
            result = result.withMaxRequestsPerBatch(overrides.get("maxRequests").intValue());
        }
        if (overrides.containsKey("maxEmbeddingInputs")) {
            result = result.withMaxEmbeddingInputs(overrides.get("maxEmbeddingInputs").intValue());
        }
        if (overrides.containsKey("maxInputBytes")) {
            result = result.withMaxInputFileBytes(overrides.get("maxInputBytes"));
        }
        if (overrides.containsKey("maxUploadBytes")) {
            result = result.withMaxUploadBytes(overrides.get("maxUploadBytes"));
        }
        return result;
    }

    private static List<HttpFault> parseHttpFaults(String key, String value) {
        List<HttpFault> faults = new ArrayList<>();
        for (String item : value.split(",")) {
            String text = item.trim();
            int x = text.indexOf('x');
            String status = x < 0 ? text : text.substring(0, x);
            String count = x < 0 ? "1" : text.substring(x + 1);
            try {
                int code = switch (status.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "reset" -> HttpFault.RESET;
                    case "hang" -> HttpFault.HANG;
                    default -> Integer.parseInt(status.trim());
                };
                int times = Integer.parseInt(count.trim());
                if ((code != HttpFault.RESET && code != HttpFault.HANG && (code < 400 || code > 599)) || times < 1) {
                    throw new NumberFormatException();
                }
                faults.add(new HttpFault(code, times));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Emulator fault " + key + "=" + value
                        + ": expected STATUSxCOUNT with STATUS 400..599, reset or hang and COUNT >= 1, e.g. 500x2");
            }
        }
        return List.copyOf(faults);
    }

    private static Pattern parseRegex(String key, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("Emulator fault " + key + ": not a regular expression: "
                    + e.getDescription());
        }
    }

    private static Set<Integer> parseOrdinals(String key, String value) {
        if (value == null) {
            return Set.of();
        }
        Set<Integer> ordinals = new LinkedHashSet<>();
        for (String item : value.split(",")) {
            ordinals.add((int) parseLong(key, item.trim(), 1, Integer.MAX_VALUE));
        }
        return Set.copyOf(ordinals);
    }

    private static boolean parseBoolean(String key, String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("Emulator fault " + key + "=" + value + ": expected true or false");
    }

    private static long parseLong(String key, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Emulator fault " + key + "=" + value + ": expected a whole number from "
                    + min + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? " up" : " to " + max));
        }
    }
}
