package io.github.llmbatch.provider.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.llmbatch.provider.RawJsonReader;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.provider.ResultLineParser;
import io.github.llmbatch.provider.SecretHeaders;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads lines of a Gemini Batch Mode responses file (BATCH-PROTOCOLS.md §C.6):
 * <ul>
 * <li>{@code {"key","response":GenerateContentResponse}}: {@link ResultLine.Kind#SUCCEEDED} (HTTP 200);
 *     the content is the text parts of {@code candidates[0].content.parts} joined, as a JSON string
 *     literal (JSON {@code null} when there is none, e.g. a blocked prompt); parts marked
 *     {@code "thought":true} are the model's thought summaries, not its answer, and are left out;
 *     the usage is {@code usageMetadata} as written;</li>
 * <li>{@code {"key","response":EmbedContentResponse}}: the content is {@code embedding.values} as written;</li>
 * <li>{@code {"key","error":Status}}: {@link ResultLine.Kind#HTTP_ERROR}; the error code is the
 *     status name ({@code INVALID_ARGUMENT}), the HTTP status the one Google maps it to (see {@link RpcCode}).
 *     Status {@code code} is read either way it is seen: a {@code google.rpc.Code} number (3) or, as
 *     in the API's error answers, the HTTP status (400); §E.8 leaves the exact keys open.</li>
 * </ul>
 *
 * <p>One streaming pass; answers, vectors and usage are handed out as slices of the line. Keys may
 * come in any order. Not thread-safe: one decoder per thread.
 */
public final class GeminiResultDecoder implements ResultDecoder {

    private static final String WHAT = "Gemini batch result line";

    private static final int HTTP_OK = 200;

    /** Scrubbed from error messages: a provider may quote the key back. */
    private final List<String> secrets;

    private RawJsonReader raw;
    private String key;
    private boolean responseSeen;
    private boolean errorSeen;
    private final List<String> textParts = new ArrayList<>();
    private String vector;
    private String usage;
    private Integer errorCode;
    private String errorStatus;
    private String errorMessage;

    /** A decoder that scrubs nothing (tests, and results read without the key at hand). */
    public GeminiResultDecoder() {
        this(List.of());
    }

    /** @param secrets texts to replace in error messages, such as the API key */
    public GeminiResultDecoder(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    @Override
    public ResultLine decode(byte[] line, int offset, int length) {
        reset();
        try {
            ResultLineParser.parse(line, offset, length, WHAT, (parser, rawReader) -> {
                raw = rawReader;
                readLine(parser);
            });
        } finally {
            raw = null;
        }
        return result();
    }

    /** Reads top-level keys only until {@code key} (the first key in Gemini's lines). */
    @Override
    public String customIdOf(byte[] line, int offset, int length) {
        return ResultLineParser.stringField(line, offset, length, "key", WHAT);
    }

    private void reset() {
        key = null;
        responseSeen = false;
        errorSeen = false;
        textParts.clear();
        vector = null;
        usage = null;
        errorCode = null;
        errorStatus = null;
        errorMessage = null;
    }

    private ResultLine result() {
        if (key == null) {
            throw new IllegalArgumentException("not a Gemini batch result line: no key");
        }
        if (errorSeen) {
            String name = RpcCode.statusName(errorStatus, errorCode);
            String message = errorMessage != null ? errorMessage : name;
            return new ResultLine(key, ResultLine.Kind.HTTP_ERROR, RpcCode.httpStatus(errorStatus, errorCode),
                    SecretHeaders.scrub(name, secrets), SecretHeaders.scrub(message, secrets), null, null);
        }
        if (responseSeen) {
            return new ResultLine(key, ResultLine.Kind.SUCCEEDED, HTTP_OK, null, null, contentJson(), usage);
        }
        throw new IllegalArgumentException("Gemini batch result line " + key + " has neither response nor error");
    }

    private String contentJson() {
        if (vector != null) {
            return vector;
        }
        if (textParts.isEmpty()) {
            return "null";
        }
        if (textParts.size() == 1) {
            return textParts.get(0);
        }
        StringBuilder joined = new StringBuilder();
        for (String part : textParts) {
            joined.append(ResultLineParser.unquote(part));
        }
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(joined)) + '"';
    }

    private void readLine(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "key" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        key = parser.getText();
                    } else {
                        parser.skipChildren();
                    }
                }
                case "response" -> {
                    if (value == JsonToken.START_OBJECT) {
                        responseSeen = true;
                        readResponse(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "error" -> {
                    if (value == JsonToken.START_OBJECT) {
                        errorSeen = true;
                        readStatus(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
    }

    private void readResponse(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("candidates".equals(name) && value == JsonToken.START_ARRAY) {
                readCandidates(parser);
            } else if ("usageMetadata".equals(name) && value == JsonToken.START_OBJECT) {
                usage = raw.current();
            } else if ("embedding".equals(name) && value == JsonToken.START_OBJECT) {
                readEmbedding(parser);
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readCandidates(JsonParser parser) throws IOException {
        boolean first = true;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (first && parser.currentToken() == JsonToken.START_OBJECT) {
                readCandidate(parser);
            } else {
                parser.skipChildren();
            }
            first = false;
        }
    }

    private void readCandidate(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("content".equals(name) && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    boolean parts = "parts".equals(parser.currentName());
                    if (parser.nextToken() == JsonToken.START_ARRAY && parts) {
                        readParts(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readParts(JsonParser parser) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            String text = null;
            boolean thought = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("text".equals(name) && value == JsonToken.VALUE_STRING) {
                    text = raw.current();
                } else if ("thought".equals(name)) {
                    thought = value == JsonToken.VALUE_TRUE;
                } else {
                    parser.skipChildren();
                }
            }
            if (text != null && !thought) {
                textParts.add(text);
            }
        }
    }

    private void readEmbedding(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean values = "values".equals(parser.currentName());
            if (parser.nextToken() == JsonToken.START_ARRAY && values) {
                vector = raw.current();
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readStatus(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("code".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                errorCode = parser.getIntValue();
            } else if ("status".equals(name) && value == JsonToken.VALUE_STRING) {
                errorStatus = parser.getText();
            } else if ("message".equals(name) && value == JsonToken.VALUE_STRING) {
                errorMessage = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
    }
}
