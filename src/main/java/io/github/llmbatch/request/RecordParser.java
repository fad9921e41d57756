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
    // the parser reading a run of records in one array, and where the next record must start
    private JsonParser run;
    private byte[] runBytes;
    private int runNext;
    private int runEnd;
    private int runOrigin;
    // the names of the record being read in a run, handed on once it proved whole
    private String[] runNames = new String[16];
    private int runNameCount;
    private final Consumer<String> keepName = this::keepRunName;
    private int parsersCreated;

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
        parse(line, offset, length, offset + length, fieldNames, into);
    }

    /**
     * As {@link #parse(byte[], int, int, Consumer, RecordValues)}, for a record followed in
     * {@code line} by more records to be parsed next, up to {@code runEnd}, each after a line
     * terminator. One JSON parser then reads the whole run, record after record: creating a
     * parser per record (its buffers, contexts and name table) cost more than reading a short
     * record. A record the run's parser cannot take whole within its own bytes is parsed again
     * alone, so its verdict and reason are exactly those of a record parsed by itself.
     */
    public void parse(byte[] line, int offset, int length, int runEnd, Consumer<String> fieldNames,
                      RecordValues into) {
        if (run == null || runBytes != line || runNext != offset || this.runEnd != runEnd) {
            startRun(line, offset, runEnd);
        }
        if (run != null && parseInRun(line, offset, offset + length, into)) {
            for (int i = 0; i < runNameCount; i++) {
                fieldNames.accept(runNames[i]);
            }
            runNext = offset + length + 1;
            return;
        }
        endRun();
        parseAlone(line, offset, length, fieldNames, into);
    }

    private void startRun(byte[] bytes, int from, int to) {
        endRun();
        if (to - from <= 0) {
            return;
        }
        try {
            run = JSON.createParser(bytes, from, to - from);
            parsersCreated++;
            runBytes = bytes;
            runNext = from;
            runEnd = to;
            runOrigin = Integer.MIN_VALUE;
        } catch (IOException e) {
            run = null;
        }
    }

    private void endRun() {
        if (run != null) {
            try {
                run.close();
            } catch (IOException e) {
                // a parser over an array holds nothing to release
            }
            run = null;
            runBytes = null;
        }
    }

    /** False when the record is not one whole JSON object within [from, to) of its run. */
    private boolean parseInRun(byte[] line, int from, int to, RecordValues into) {
        JsonParser p = run;
        into.reset(line);
        runNameCount = 0;
        try {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            int objectStart = firstNonBlank(line, from, to - from);
            if (runOrigin == Integer.MIN_VALUE) {
                runOrigin = objectStart - (int) p.currentTokenLocation().getByteOffset();
            } else if (runOrigin + (int) p.currentTokenLocation().getByteOffset() != objectStart) {
                return false;
            }
            if (fields(p, runOrigin, line, to, keepName, into) != JsonToken.END_OBJECT) {
                return false;
            }
            int objectEnd = runOrigin + (int) p.currentLocation().getByteOffset();
            return objectEnd <= to && onlyBlanks(line, objectEnd, to);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void parseAlone(byte[] line, int offset, int length, Consumer<String> fieldNames, RecordValues into) {
        into.reset(line);
        parsersCreated++;
        try (JsonParser p = JSON.createParser(line, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRecordException("not a JSON object");
            }
            // Jackson's offsets count from the object's '{'; find where that is in the array.
            int origin = firstNonBlank(line, offset, length) - (int) p.currentTokenLocation().getByteOffset();
            if (fields(p, origin, line, offset + length, fieldNames, into) != JsonToken.END_OBJECT) {
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

    /**
     * Reads an object's fields, after its '{': hands on their names, locates the values the job
     * reads. Returns the token that ended them ({@code END_OBJECT} for a whole object), or null
     * when a value does not lie within the record's bytes (only a run's parser reads past them).
     */
    private JsonToken fields(JsonParser p, int origin, byte[] line, int limit, Consumer<String> names,
                             RecordValues into) throws IOException {
        JsonToken t;
        int position = 0;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            names.accept(name);
            JsonToken v = p.nextToken();
            int slot = slotAt(position++, name);
            if (slot < 0 || v == JsonToken.VALUE_NULL) {
                p.skipChildren();
                continue;
            }
            if (!value(p, v, slot, origin, line, limit, into)) {
                return null;
            }
        }
        return t;
    }

    private void keepRunName(String name) {
        if (runNameCount == runNames.length) {
            runNames = Arrays.copyOf(runNames, runNameCount * 2);
        }
        runNames[runNameCount++] = name;
    }

    /** Locates a value the job reads; false when it does not lie within the record's bytes. */
    private static boolean value(JsonParser p, JsonToken v, int slot, int origin, byte[] line, int limit,
                                 RecordValues into) throws IOException {
        int from = origin + (int) p.currentTokenLocation().getByteOffset();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            p.skipChildren();
            int to = origin + (int) p.currentLocation().getByteOffset();
            if (to > limit) {
                return false;
            }
            into.set(slot, RecordValues.NESTED, from, to);
        } else if (v == JsonToken.VALUE_STRING) {
            into.set(slot, RecordValues.STRING, from + 1, closingQuote(line, from + 1, limit));
        } else {
            into.set(slot, RecordValues.SCALAR, from, scalarEnd(line, from, limit));
        }
        if (slot == FieldSlots.ID) {
            if (v == JsonToken.VALUE_STRING || v.isNumeric()) {
                into.id(p.getText());
            } else {
                into.idOfOtherType(); // true and false would make custom_ids nobody means
            }
        }
        return true;
    }

    private static boolean onlyBlanks(byte[] line, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** How many JSON parsers this parser made (a run of good records takes one). */
    int parsersCreated() {
        return parsersCreated;
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
