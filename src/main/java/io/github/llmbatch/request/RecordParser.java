package io.github.llmbatch.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Checks that an input line is one JSON object and finds the values of the fields a job reads,
 * in one streaming pass. Values are located, not decoded (see {@link RecordValues}); only the
 * id is read as text.
 */
public final class RecordParser {

    private static final JsonFactory JSON = new JsonFactory();

    private final FieldSlots slots;
    // The slot of the name seen at each position of the record before. Records of one input
    // mostly share their field order, and Jackson hands out one String instance per name, so
    // an identity check answers most look-ups without hashing.
    private String[] namesAt = new String[16];
    private int[] slotsAt = new int[16];

    /** Not thread-safe: one parser a thread. */
    public RecordParser(FieldSlots slots) {
        this.slots = slots;
    }

    /**
     * @param fieldNames receives every top-level field name (for the merged CSV's columns)
     * @param into       receives the values of the fields in {@link FieldSlots}
     * @throws InvalidRecordException when the line is not one JSON object
     */
    public void parse(byte[] line, int offset, int length, Consumer<String> fieldNames, RecordValues into) {
        into.reset(line);
        try (JsonParser p = JSON.createParser(line, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRecordException("not a JSON object");
            }
            // Jackson's offsets count from the object's '{'; find where that is in the array.
            int origin = firstNonBlank(line, offset, length) - (int) p.currentTokenLocation().getByteOffset();
            JsonToken t;
            int position = 0;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                fieldNames.accept(name);
                JsonToken v = p.nextToken();
                int slot = slotAt(position++, name);
                if (slot < 0 || v == JsonToken.VALUE_NULL) {
                    p.skipChildren();
                    continue;
                }
                int from = origin + (int) p.currentTokenLocation().getByteOffset();
                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    into.set(slot, RecordValues.NESTED, from, origin + (int) p.currentLocation().getByteOffset());
                } else if (v == JsonToken.VALUE_STRING) {
                    into.set(slot, RecordValues.STRING, from + 1, closingQuote(line, from + 1, offset + length));
                } else {
                    into.set(slot, RecordValues.SCALAR, from, scalarEnd(line, from, offset + length));
                }
                if (slot == FieldSlots.ID) {
                    if (v == JsonToken.VALUE_STRING || v.isNumeric()) {
                        into.id(p.getText());
                    } else {
                        into.idOfOtherType(); // true and false would make custom_ids nobody means
                    }
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new InvalidRecordException("not a JSON object");
            }
            if (p.nextToken() != null) {
                throw new InvalidRecordException("unexpected content after the JSON object");
            }
        } catch (InvalidRecordException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidRecordException("not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private int slotAt(int position, String name) {
        if (position < namesAt.length && namesAt[position] == name) {
            return slotsAt[position];
        }
        int slot = slots.slotOf(name);
        if (position >= namesAt.length) {
            namesAt = Arrays.copyOf(namesAt, position * 2);
            slotsAt = Arrays.copyOf(slotsAt, position * 2);
        }
        namesAt[position] = name;
        slotsAt[position] = slot;
        return slot;
    }

    private static int firstNonBlank(byte[] line, int from, int length) {
        int i = from;
        while (i < from + length && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n')) {
            i++;
        }
        return i;
    }

    /** Index of the quote ending a string whose content starts at {@code from}. */
    private static int closingQuote(byte[] line, int from, int limit) {
        int i = from;
        while (i < limit) {
            byte b = line[i];
            if (b == '\\') {
                i += 2;
            } else if (b == '"') {
                return i;
            } else {
                i++;
            }
        }
        return limit; // unterminated: the parser reports it when it gets there
    }

    private static int scalarEnd(byte[] line, int from, int limit) {
        int i = from;
        while (i < limit) {
            byte b = line[i];
            if (b == ',' || b == '}' || b == ']' || b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                break;
            }
            i++;
        }
        return i;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The input line is not a usable record. */
    public static final class InvalidRecordException extends RuntimeException {
        public InvalidRecordException(String message) {
            super(message, null, false, false);
        }
    }
}
