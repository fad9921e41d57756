/*
 * The JVM floor: the least a plain Java program does for the seeds' prepare loop, as a yardstick
 * for bench/run. Not a part of llm-batch.
 *
 *     javac -cp jackson-core.jar -d OUT bench/JvmFloor.java
 *     java -cp OUT:jackson-core.jar JvmFloor INPUT.jsonl OUTDIR
 *
 * It does what bench/baseline_prepare_orjson.py does, the Java way: read the JSONL input line by
 * line (blank lines skipped), parse each line with Jackson's streaming JsonParser into the
 * record's top-level fields, fill the {{field}} placeholders of baseline_prepare.py's user
 * template, write one /v1/chat/completions batch request line with Jackson's JsonGenerator
 * (compact UTF-8 with Jackson's defaults, as llm-batch writes it: characters outside the BMP come
 * out as escaped surrogate pairs), and start a new output file OUTDIR/batch-%05d.jsonl every
 * 50,000 lines or before a file would pass 200 MB. One thread, jackson-core only, no framework: what is left of
 * llm-batch's time once its own work (JBeret, Weld, the H2 job repository, shards, token counts,
 * bookkeeping) is taken away is the JVM's start-up and JIT warm-up, which this program pays too.
 */

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class JvmFloor {

    // as in bench/baseline_prepare.py
    static final String SYSTEM_PROMPT = "Classify the sentiment of the product review as positive, neutral or "
            + "negative. Answer with one word.";
    static final String USER_TEMPLATE = "Review of {{product}} ({{rating}}/5): {{title}}\n\n{{text}}";
    static final String MODEL = "gpt-4o-mini";
    static final int MAX_LINES_PER_FILE = 50_000;
    static final long MAX_BYTES_PER_FILE = 200_000_000L;

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*\\}\\}");

    /** Split once into literal text (even indexes) and field names (odd indexes), like re.split. */
    static List<String> compileTemplate(String template) {
        List<String> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            parts.add(template.substring(last, m.start()));
            parts.add(m.group(1));
            last = m.end();
        }
        parts.add(template.substring(last));
        return parts;
    }

    static final List<String> USER_PARTS = compileTemplate(USER_TEMPLATE);

    /** A missing field or JSON null renders as "" (Python's record.get(...) is None). */
    static String render(List<String> parts, Map<String, String> record) {
        StringBuilder out = new StringBuilder(256);
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 1) {
                String value = record.get(parts.get(i));
                if (value != null) {
                    out.append(value);
                }
            } else {
                out.append(parts.get(i));
            }
        }
        return out.toString();
    }

    /**
     * The record's top-level fields as Python's str(value) would print them: strings as they are,
     * integers in decimal (the JSON text), true/false as True/False; null is left out (rendered as
     * ""). The generator writes strings and integers only. Not reproduced, as it never makes them:
     * Python's repr of floats (4.50 prints 4.5 there, 4.50 here) and of nested objects and arrays
     * (skipped here).
     */
    static Map<String, String> parseRecord(JsonFactory json, String line, Map<String, String> record)
            throws IOException {
        record.clear();
        try (JsonParser p = json.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object: " + line);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (value) {
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> record.put(name, p.getText());
                    case VALUE_TRUE -> record.put(name, "True");
                    case VALUE_FALSE -> record.put(name, "False");
                    case VALUE_NULL -> record.remove(name);
                    default -> {
                        p.skipChildren();
                        record.remove(name);
                    }
                }
            }
        }
        return record;
    }

    static void requestLine(JsonFactory json, Map<String, String> record, ByteArrayOutputStream buf)
            throws IOException {
        try (JsonGenerator g = json.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("custom_id", record.get("id"));
            g.writeStringField("method", "POST");
            g.writeStringField("url", "/v1/chat/completions");
            g.writeObjectFieldStart("body");
            g.writeStringField("model", MODEL);
            g.writeArrayFieldStart("messages");
            g.writeStartObject();
            g.writeStringField("role", "system");
            g.writeStringField("content", SYSTEM_PROMPT);
            g.writeEndObject();
            g.writeStartObject();
            g.writeStringField("role", "user");
            g.writeStringField("content", render(USER_PARTS, record));
            g.writeEndObject();
            g.writeEndArray();
            g.writeNumberField("max_completion_tokens", 16);
            g.writeNumberField("temperature", 0);
            g.writeEndObject();
            g.writeEndObject();
        }
        buf.write('\n');
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: JvmFloor INPUT.jsonl OUTDIR");
            System.exit(2);
        }
        Path src = Path.of(args[0]);
        Path outdir = Path.of(args[1]);
        Files.createDirectories(outdir);
        JsonFactory json = new JsonFactory();
        Map<String, String> record = new HashMap<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream(1024);
        int files = 0;
        int linesInFile = 0;
        long bytesInFile = 0;
        long total = 0;
        OutputStream out = null;
        try (BufferedReader in = Files.newBufferedReader(src, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                data.reset();
                requestLine(json, parseRecord(json, line, record), data);
                if (out == null || linesInFile == MAX_LINES_PER_FILE || bytesInFile + data.size() > MAX_BYTES_PER_FILE) {
                    if (out != null) {
                        out.close();
                    }
                    out = new BufferedOutputStream(
                            Files.newOutputStream(outdir.resolve(String.format("batch-%05d.jsonl", files))), 1 << 16);
                    files++;
                    linesInFile = 0;
                    bytesInFile = 0;
                }
                data.writeTo(out);
                linesInFile++;
                bytesInFile += data.size();
                total++;
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        System.err.println("prepared " + total + " requests in " + files + " files");
    }
}
