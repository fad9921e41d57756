package io.github.llmbatch.merge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;

import io.github.llmbatch.shard.AppendOnlyFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV with a header: {@code id,status,content,error_code,error_message,usage,attempts}, then with a
 * response schema one column per top-level property ({@link AnswerColumns}), then one column per input
 * field (in first-seen order). Text content is written as text; a vector,
 * usage and nested input values as their JSON.
 */
final class MergedCsvWriter extends MergedWriter {

    private static final List<String> OWN = List.of("id", "status", "content", "error_code", "error_message",
            "usage", "attempts");
    private static final CsvFactory CSV = new CsvFactory();
    private static final JsonFactory JSON = new JsonFactory();

    private final List<String> columns = new ArrayList<>(OWN);
    private final Map<String, Integer> fieldColumn = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

    private final int answerColumns;

    /** @param answerFields the response schema's top-level properties, a column each; empty without a schema */
    MergedCsvWriter(AppendOnlyFile file, List<String> inputFields, List<String> answerFields, boolean writeHeader)
            throws IOException {
        super(file);
        List<String> taken = new ArrayList<>(OWN);
        for (String field : inputFields) {
            String name = OwnFields.outputName(field);
            if (name != null) {
                taken.add(name);
            }
        }
        columns.addAll(AnswerColumns.names(answerFields, taken));
        answerColumns = answerFields.size();
        for (String field : inputFields) {
            String name = OwnFields.outputName(field);
            if (name != null && !fieldColumn.containsKey(name)) {
                fieldColumn.put(name, columns.size());
                columns.add(name);
            }
        }
        if (writeHeader) {
            writeRow(columns);
        }
    }

    @Override
    public void write(MergedRecord r) throws IOException {
        List<String> row = new ArrayList<>(columns.size());
        row.add(r.id());
        row.add(r.status());
        row.add(r.contentJson() == null ? "" : textOf(r.contentJson()));
        row.add(r.errorCode() == null ? "" : r.errorCode());
        row.add(r.errorMessage() == null ? "" : r.errorMessage());
        row.add(r.usageJson() == null ? "" : r.usageJson());
        row.add(Integer.toString(r.attempts()));
        for (int i = 0; i < answerColumns; i++) {
            String value = i < r.parsedValues().size() ? r.parsedValues().get(i) : null;
            row.add(value == null ? "" : value);
        }
        while (row.size() < columns.size()) {
            row.add("");
        }
        Map<String, String> values = new LinkedHashMap<>();
        OwnFields.forEach(r.record(), r.recordOffset(), r.recordLength(), (name, kind, p, buf, start, end) ->
                values.put(name, kind == JsonToken.VALUE_STRING ? p.getText()
                        : kind == JsonToken.VALUE_NULL ? "" : new String(buf, start, end - start, StandardCharsets.UTF_8)));
        for (Map.Entry<String, String> e : values.entrySet()) {
            Integer column = fieldColumn.get(e.getKey());
            if (column != null) {
                row.set(column, e.getValue());
            }
        }
        writeRow(row);
    }

    // A JSON string literal becomes its text; JSON null (no text) an empty cell; anything else (a vector) stays JSON.
    static String textOf(String json) throws IOException {
        if (json.equals("null")) {
            return "";
        }
        if (!json.startsWith("\"")) {
            return json;
        }
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            return p.getText();
        }
    }

    private void writeRow(List<String> cells) throws IOException {
        out.reset();
        try (CsvGenerator g = CSV.createGenerator(out)) {
            g.writeStartArray();
            for (String cell : cells) {
                g.writeString(cell);
            }
            g.writeEndArray();
        }
        file.write(out.toByteArray());
    }
}
