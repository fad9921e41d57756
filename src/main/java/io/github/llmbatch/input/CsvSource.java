package io.github.llmbatch.input;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV with a header row; each row becomes a JSON object of strings keyed by the header. A row
 * with more cells than the header becomes a record with a problem (its cells kept as a JSON
 * array for the reject), so it is rejected with its line number and the reason. The checkpoint is the number of rows read
 * (quoted cells may span lines, so a byte offset is not a safe resume point).
 */
final class CsvSource implements InputSource {

    private static final CsvFactory CSV = CsvFactory.builder().build();
    private static final JsonFactory JSON = new JsonFactory();

    private final CsvParser parser;
    private final List<String> header = new ArrayList<>();
    private final ByteArrayBuilder out = new ByteArrayBuilder(512);
    private long rows;

    CsvSource(Path file, long skipRows) throws IOException {
        parser = (CsvParser) CSV.createParser(Files.newInputStream(file));
        parser.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        if (parser.nextToken() != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.START_ARRAY) {
            throw new IOException(file + ": CSV input has no header row");
        }
        while (parser.nextToken() == JsonToken.VALUE_STRING) {
            String name = parser.getText().strip();
            // a record holds one value per name: the second column would replace the first, unseen
            if (header.contains(name)) {
                parser.close();
                throw new IOException(file + ": the CSV header names column '" + name + "' twice");
            }
            header.add(name);
        }
        while (rows < skipRows && next() != null) {
            // skipping rows already read before the restart
        }
    }

    @Override
    public InputRecord next() throws IOException {
        JsonToken t = parser.nextToken();
        if (t != JsonToken.START_ARRAY) {
            return null;
        }
        rows++;
        // the row's START_ARRAY carries the previous row's location; its first cell has the real line
        long line = -1;
        List<String> cells = new ArrayList<>(header.size());
        while (parser.nextToken() == JsonToken.VALUE_STRING) {
            if (line < 0) {
                line = parser.currentTokenLocation().getLineNr();
            }
            cells.add(parser.getText());
        }
        if (line < 0) {
            line = parser.currentTokenLocation().getLineNr();
        }
        byte[] json = toJson(cells);
        String problem = cells.size() > header.size()
                ? "row has " + cells.size() + " cells but the header has " + header.size() : null;
        return new InputRecord(line, json, 0, json.length, problem);
    }

    private byte[] toJson(List<String> cells) {
        out.reset();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            if (cells.size() > header.size()) {
                g.writeStartArray();
                for (String cell : cells) {
                    g.writeString(cell);
                }
                g.writeEndArray();
            } else {
                g.writeStartObject();
                for (int i = 0; i < cells.size(); i++) {
                    g.writeStringField(header.get(i), cells.get(i));
                }
                g.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public Serializable checkpoint() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
