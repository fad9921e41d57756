package io.github.llmbatch.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;

/**
 * What every provider's result lines share: one JSON object a line, its id a top-level string.
 * Decoders supply the reading of the object's fields; this checks the frame and turns every
 * parse failure into the same {@link IllegalArgumentException} that {@link ResultDecoder} promises.
 */
public final class ResultLineParser {

    /** No cap on string length: an answer may be tens of MB, and the line is in memory already. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    /** Reads the fields of a line's object, the parser standing on its START_OBJECT. */
    @FunctionalInterface
    public interface ObjectReader {
        void read(JsonParser parser, RawJsonReader raw) throws IOException;
    }

    private ResultLineParser() {
    }

    /**
     * @param what the line's kind for messages, e.g. {@code batch result line}
     * @throws IllegalArgumentException when the line is not one JSON object or the reader refuses it
     */
    public static void parse(byte[] line, int offset, int length, String what, ObjectReader reader) {
        try (JsonParser parser = JSON.createParser(line, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a " + what + ": does not start with an object");
            }
            reader.read(parser, new RawJsonReader(line, offset, length, parser));
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("not a " + what + ": text after the object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + what + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * The top-level string field {@code field}, reading no further than it: the id of a result
     * line, found without decoding the answer.
     */
    public static String stringField(byte[] line, int offset, int length, String field, String what) {
        try (JsonParser parser = JSON.createParser(line, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a " + what + ": does not start with an object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = parser.currentName().equals(field);
                JsonToken value = parser.nextToken();
                if (wanted && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            throw new IllegalArgumentException("not a " + what + ": no " + field);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a " + what + ": " + e.getMessage(), e);
        }
    }

    /** The text of a JSON string literal as {@link RawJsonReader} handed it out. */
    public static String unquote(String literal) {
        try (JsonParser parser = JSON.createParser(literal)) {
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("not a JSON string: " + literal);
            }
            return parser.getText();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON string: " + e.getMessage(), e);
        }
    }
}
