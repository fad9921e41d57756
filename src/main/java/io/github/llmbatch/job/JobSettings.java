package io.github.llmbatch.job;

import io.github.llmbatch.input.InputFormat;
import io.github.llmbatch.provider.ProviderProfile;
import io.github.llmbatch.provider.ProviderProfiles;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.FieldSlots;
import io.github.llmbatch.request.RequestOptions;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.ResponseSchema;
import io.github.llmbatch.request.Template;
import io.github.llmbatch.shard.ShardLimits;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job parameters, parsed and checked, with every default in this one place. A bad value
 * fails the job before anything is read, with a message naming the parameter.
 */
public record JobSettings(Path input, InputFormat inputFormat, String idField, String provider, String baseUrl,
                          String apiKeyEnv, Endpoint endpoint, String model, String systemPrompt,
                          String userTemplate, Integer maxTokens, Double temperature, Path workDir, Path output,
                          Path rejects, long maxRequestsPerFile, long maxBytesPerFile, Duration pollInterval,
                          int maxAttempts, boolean dryRun, String emulatorFaults, String inputDataSource,
                          String inputQuery, String outputDataSource, String outputTable, String rejectsTable,
                          String lockDataSource, Duration httpTimeout, Path responseSchema,
                          String requestOptions, String priceTable, BigDecimal budget) {

    public static final String EMBEDDED = "embedded";
    /** In a server, {@code -Dllmbatch.workDir} (set by server-config) places work directories. */
    public static final String WORK_DIR_PROPERTY = "llmbatch.workDir";
    /**
     * In a server, {@code -Dllmbatch.lockDataSource} (set by server-config to the job repository's
     * datasource) makes the instance lock a database lease that all nodes sharing it see.
     */
    public static final String LOCK_DATA_SOURCE_PROPERTY = "llmbatch.lockDataSource";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    /** A table name, optionally schema-qualified: it is written into SQL, so nothing else is allowed. */
    private static final Pattern SQL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KB|MB|GB|KiB|MiB|GiB)", Pattern.CASE_INSENSITIVE);

    public static JobSettings from(Properties p) {
        ParameterNames.requireKnown(p.stringPropertyNames());
        String inputDataSource = value(p, "inputDataSource", null);
        String inputQuery = inputDataSource == null ? null : inputQuery(p);
        Path input = inputDataSource == null ? Path.of(required(p, "input")) : null;
        if (input == null && value(p, "input", null) != null) {
            throw new IllegalArgumentException("set either input (a file) or inputDataSource (a table), not both");
        }
        String outputTable = sqlName(p, "outputTable");
        String outputDataSource = outputTable == null ? null : value(p, "outputDataSource", inputDataSource);
        if (outputTable != null && outputDataSource == null) {
            throw new IllegalArgumentException("outputTable needs outputDataSource, the datasource it lies in");
        }
        Path output = outputTable != null ? null
                : Path.of(input != null ? value(p, "output", input + ".results.jsonl") : required(p, "output",
                        "with inputDataSource, job parameter 'output' (a file) or 'outputTable' is required"));
        if (outputTable != null && value(p, "rejects", null) != null) {
            throw new IllegalArgumentException("rejects names a file; with outputTable the rejects go to table "
                    + outputTable + "_rejects");
        }
        String rejectsTable = outputTable == null ? null : outputTable + "_rejects";
        Path rejects = outputTable != null ? null : Path.of(value(p, "rejects", output + ".rejects.jsonl"));
        // the provider's defaults, custom_id rule and endpoint names come from its profile
        ProviderProfile profile = ProviderProfiles.named(value(p, "provider", ProviderProfiles.DEFAULT));
        Endpoint endpoint = profile.endpoint(value(p, "endpoint", Endpoint.CHAT_COMPLETIONS.parameterValue()));
        String baseUrl = value(p, "baseUrl", profile.defaultBaseUrl());
        if (baseUrl == null) {
            throw new IllegalArgumentException("provider " + profile.name() + " has no default baseUrl: set job"
                    + " parameter baseUrl to the service's URL, " + profile.baseUrlForm());
        }
        String userTemplate = required(p, "userTemplate");
        String workDir = value(p, "workDir", System.getProperty(WORK_DIR_PROPERTY, "llm-batch-work"));
        String idField = value(p, "idField", "id");
        if (inputDataSource != null) {
            // rows become records with lower-cased column names, and are read in the order of this column
            if (!SQL_NAME.matcher(idField).matches() || idField.contains(".")) {
                throw new IllegalArgumentException("idField '" + idField + "' is not a column name");
            }
            idField = idField.toLowerCase(Locale.ROOT);
        }
        JobSettings s = new JobSettings(
                input,
                input == null ? null : InputFormat.of(value(p, "inputFormat", null), input),
                idField,
                profile.name(),
                baseUrl,
                value(p, "apiKeyEnv", profile.defaultApiKeyEnv()),
                endpoint,
                required(p, "model"),
                value(p, "systemPrompt", null),
                userTemplate,
                optionalInt(p, "maxTokens"),
                temperature(p),
                Path.of(workDir),
                output,
                rejects,
                positive(p, "maxRequestsPerFile", profile.limits().requests()),
                size(p, "maxBytesPerFile", profile.limits().bytes()),
                positiveDuration(value(p, "pollInterval", "60s"), "pollInterval"),
                positiveInt(p, "maxAttempts", 3),
                bool(p, "dryRun", false),
                value(p, "emulatorFaults", ""),
                inputDataSource,
                inputQuery,
                outputDataSource,
                outputTable,
                rejectsTable,
                value(p, "lockDataSource", System.getProperty(LOCK_DATA_SOURCE_PROPERTY)),
                positiveDuration(value(p, "httpTimeout", "60s"), "httpTimeout"),
                value(p, "responseSchema", null) == null ? null : Path.of(value(p, "responseSchema", null).strip()),
                value(p, "requestOptions", null),
                value(p, "priceTable", null),
                budget(p));
        RequestSpec spec = s.requestSpec(); // validates the templates, the schema and the options
        profile.requestLineWriter(spec, FieldSlots.of(idField, spec)); // and that the provider takes such requests
        if (outputTable != null && spec.responseSchema() != null) {
            for (String property : spec.responseSchema().properties()) {
                if (!SQL_NAME.matcher(property).matches() || property.contains(".")) {
                    throw new IllegalArgumentException("responseSchema property '" + property + "' cannot be a column"
                            + " of outputTable " + outputTable + " (letters, digits, _); rename it or write a file");
                }
            }
        }
        return s;
    }

    /** Whether records come from a query of {@link #inputDataSource()} instead of a file. */
    public boolean jdbcInput() {
        return inputDataSource != null;
    }

    /** Whether merged records (and rejects) go to tables of {@link #outputDataSource()} instead of files. */
    public boolean tableOutput() {
        return outputTable != null;
    }

    /** Where rejects go, for messages: the file, or the table. */
    public String rejectsTarget() {
        return tableOutput() ? "table " + rejectsTable : rejects.toString();
    }

    /** {@code inputQuery} as given, or all columns of {@code inputTable}. */
    private static String inputQuery(Properties p) {
        String query = value(p, "inputQuery", null);
        String table = sqlName(p, "inputTable");
        if ((query == null) == (table == null)) {
            throw new IllegalArgumentException("with inputDataSource, set exactly one of inputTable and inputQuery");
        }
        if (table != null) {
            return "SELECT * FROM " + table;
        }
        String trimmed = query.strip();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed;
    }

    private static String sqlName(Properties p, String name) {
        String v = value(p, name, null);
        if (v != null && !SQL_NAME.matcher(v.strip()).matches()) {
            throw new IllegalArgumentException(name + " '" + v + "' is not a table name like results or"
                    + " myschema.results (letters, digits, _)");
        }
        return v == null ? null : v.strip();
    }

    public boolean embedded() {
        return EMBEDDED.equalsIgnoreCase(baseUrl);
    }

    /** The provider named by {@link #provider()}. */
    public ProviderProfile profile() {
        return ProviderProfiles.named(provider);
    }

    /** The endpoint as the provider names it: what the ledger records and the batches are created for. */
    public String endpointName() {
        return profile().endpointName(endpoint);
    }

    /**
     * @throws IllegalArgumentException naming the parameter: a bad template, a schema file that cannot be
     *         read or is no object schema, request options that are no JSON object
     */
    public RequestSpec requestSpec() {
        return new RequestSpec(endpoint, model,
                systemPrompt == null || systemPrompt.isEmpty() ? null : parseTemplate("systemPrompt", systemPrompt),
                parseTemplate("userTemplate", userTemplate), maxTokens, temperature, schema(),
                RequestOptions.parse(requestOptions));
    }

    /** The schema file's schema, or null without job parameter {@code responseSchema}. */
    public ResponseSchema schema() {
        return responseSchema == null ? null : ResponseSchema.read(responseSchema);
    }

    public ShardLimits shardLimits() {
        return new ShardLimits(maxRequestsPerFile, maxBytesPerFile, profile().limits().embeddingInputs());
    }

    /** Parses {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
    public static Duration duration(String text, String name) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " '" + text + "' is not a duration like 500ms, 2s, 5m or 1h");
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + text + "' is too long");
        }
    }

    // a zero poll interval would poll (and re-create refused batches) without pause
    private static Duration positiveDuration(String text, String name) {
        Duration d = duration(text, name);
        if (d.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than 0");
        }
        return d;
    }

    private static Template parseTemplate(String name, String text) {
        try {
            return Template.parse(unescape(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /**
     * Job repositories keep a parameter on one line, so templates spell a line break {@code \n},
     * a tab {@code \t} and a backslash {@code \\}; any other backslash stays as it is.
     */
    static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            int replaced = c != '\\' ? 0 : switch (next) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case '\\' -> '\\';
                default -> 0;
            };
            if (replaced != 0) {
                out.append((char) replaced);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String value(Properties p, String name, String fallback) {
        String v = p.getProperty(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String required(Properties p, String name) {
        return required(p, name, "job parameter '" + name + "' is required");
    }

    private static String required(Properties p, String name, String message) {
        String v = value(p, name, null);
        if (v == null) {
            throw new IllegalArgumentException(message);
        }
        return v;
    }

    private static Integer optionalInt(Properties p, String name) {
        String v = value(p, name, null);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + v + "' is not a positive whole number");
        }
    }

    private static Double optionalDouble(Properties p, String name) {
        String v = value(p, name, null);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException(); // the generator would write it as a JSON string
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + v + "' is not a number");
        }
    }

    // the provider accepts 0 to 2; outside that every request would fail after the batch ran
    private static Double temperature(Properties p) {
        Double t = optionalDouble(p, "temperature");
        if (t != null && (t < 0 || t > 2)) {
            throw new IllegalArgumentException("temperature '" + p.getProperty("temperature").strip()
                    + "' is outside 0 to 2");
        }
        return t;
    }

    /** {@code budget}: USD, {@code 12.50} or {@code $12.50}; null when unset. */
    private static BigDecimal budget(Properties p) {
        String v = value(p, "budget", null);
        if (v == null) {
            return null;
        }
        String amount = v.strip();
        try {
            BigDecimal usd = new BigDecimal(amount.startsWith("$") ? amount.substring(1) : amount);
            if (usd.signum() < 0) {
                throw new NumberFormatException();
            }
            return usd;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("budget '" + v + "' is not an amount of USD like 25 or 12.50");
        }
    }

    // anything but true/false (dryRun=yes) would quietly mean false: a real, paid run
    private static boolean bool(Properties p, String name, boolean fallback) {
        String v = value(p, name, null);
        if (v == null) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " '" + v + "' is not true or false");
        };
    }

    private static long positive(Properties p, String name, long fallback) {
        String v = value(p, name, null);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + v + "' is not a positive whole number");
        }
    }

    private static int positiveInt(Properties p, String name, int fallback) {
        long n = positive(p, name, fallback);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " '" + p.getProperty(name) + "' is too large");
        }
        return (int) n;
    }

    /** Accepts plain bytes or a unit: {@code 200MB}, {@code 64KiB}. */
    private static long size(Properties p, String name, long fallback) {
        String v = value(p, name, null);
        if (v == null) {
            return fallback;
        }
        Matcher m = SIZE.matcher(v.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " '" + v + "' is not a size like 200000000, 200MB or 64KiB");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + v + "' is too large");
        }
        long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "KB" -> 1000L;
            case "MB" -> 1000L * 1000;
            case "GB" -> 1000L * 1000 * 1000;
            case "KIB" -> 1024L;
            case "MIB" -> 1024L * 1024;
            case "GIB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " '" + v + "' is too large");
        }
    }
}
