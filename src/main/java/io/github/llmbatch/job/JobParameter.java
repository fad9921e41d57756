package io.github.llmbatch.job;

import io.github.llmbatch.request.RequestOptions;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every job parameter the job knows, in one list: a name not here is refused (see
 * {@link ParameterNames}), and META-INF-jobs/llm-batch.xml must list the same names
 * (ParameterNamesTest checks it). Adding a parameter is one constant here and one property line there.
 *
 * <p>A parameter with a {@code fixed} value shapes the requests or the records, so it is fixed
 * for a job instance: the first execution records its value in the ledger and a restart that
 * changes it is refused ({@link FixedParameters}). The others may change on any restart.
 */
public enum JobParameter {
    INPUT("input", s -> s.input() == null ? null : s.input().toAbsolutePath().normalize()),
    INPUT_FORMAT("inputFormat", JobSettings::inputFormat),
    ID_FIELD("idField", JobSettings::idField),
    PROVIDER("provider", JobSettings::provider),
    /*
     * May change: the same provider is reached under another URL through a proxy, gateway or
     * regional host. A URL that leads elsewhere cannot mix work silently: the ledger's file and
     * batch ids are unknown there, so the first call on one fails.
     */
    BASE_URL("baseUrl", null),
    API_KEY_ENV("apiKeyEnv", null),
    ENDPOINT("endpoint", JobSettings::endpointName),
    MODEL("model", JobSettings::model),
    SYSTEM_PROMPT("systemPrompt", s -> s.systemPrompt() == null || s.systemPrompt().isEmpty() ? null
            : JobSettings.unescape(s.systemPrompt())),
    USER_TEMPLATE("userTemplate", s -> JobSettings.unescape(s.userTemplate())),
    MAX_TOKENS("maxTokens", JobSettings::maxTokens),
    TEMPERATURE("temperature", JobSettings::temperature),
    /*
     * The instance's ledger and shards live below it, so it cannot change either; a ledger cannot
     * say where it is, so InstanceLockListener checks this one against the earlier executions.
     */
    WORK_DIR("workDir", null),
    OUTPUT("output", null),
    REJECTS("rejects", null),
    MAX_REQUESTS_PER_FILE("maxRequestsPerFile", JobSettings::maxRequestsPerFile),
    MAX_BYTES_PER_FILE("maxBytesPerFile", JobSettings::maxBytesPerFile),
    POLL_INTERVAL("pollInterval", null),
    MAX_ATTEMPTS("maxAttempts", null),
    DRY_RUN("dryRun", null),
    EMULATOR_FAULTS("emulatorFaults", null),
    INPUT_DATA_SOURCE("inputDataSource", JobSettings::inputDataSource),
    // fixed through inputQuery, which holds the table's SELECT
    INPUT_TABLE("inputTable", null),
    INPUT_QUERY("inputQuery", JobSettings::inputQuery),
    OUTPUT_DATA_SOURCE("outputDataSource", null),
    OUTPUT_TABLE("outputTable", null),
    LOCK_DATA_SOURCE("lockDataSource", null),
    HTTP_TIMEOUT("httpTimeout", null),
    /*
     * Fixed: the schema goes into every request and the merge checks answers against it. Like input,
     * the file is fixed by its path.
     */
    RESPONSE_SCHEMA("responseSchema", s -> s.responseSchema() == null ? null
            : s.responseSchema().toAbsolutePath().normalize()),
    // fixed as the compact object: it goes into every request
    REQUEST_OPTIONS("requestOptions", s -> s.requestOptions() == null ? null
            : Objects.toString(RequestOptions.parse(s.requestOptions()), null)),
    // prices are recorded anew by every execution, and a budget may be raised to go on
    PRICE_TABLE("priceTable", null),
    BUDGET("budget", null);

    private final String parameterName;
    private final Function<JobSettings, Object> fixed;

    JobParameter(String parameterName, Function<JobSettings, Object> fixed) {
        this.parameterName = parameterName;
        this.fixed = fixed;
    }

    /** The name as given in job parameters and properties files. */
    public String parameterName() {
        return parameterName;
    }

    public boolean fixed() {
        return fixed != null;
    }

    /** The normalized value a restart must keep, as text; {@code null} when the parameter is unset. */
    String fixedValue(JobSettings settings) {
        Object value = fixed.apply(settings);
        return value instanceof Path path ? path.toString() : Objects.toString(value, null);
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(JobParameter::parameterName).toList();
    }
}
