package io.github.llmbatch.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.llmbatch.provider.RawJsonReader;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.provider.ResultLineParser;
import io.github.llmbatch.provider.SecretHeaders;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads lines of OpenAI batch output and error files ({@code BatchRequestOutput}):
 * <ul>
 * <li>{@code response.status_code} 2xx: {@link ResultLine.Kind#SUCCEEDED}; the content is, for chat
 *     completions, {@code choices[0].message.content} as a JSON string literal (JSON {@code null} when the
 *     model gave none; legacy completions: {@code choices[0].text}), for embeddings the {@code embedding}
 *     of the one {@code data} item, or a JSON array of all items' vectors in {@code index} order;</li>
 * <li>other status: {@link ResultLine.Kind#HTTP_ERROR} with {@code body.error.code} (else its
 *     {@code type}) and {@code message};</li>
 * <li>{@code response: null} with {@code error}: {@link ResultLine.Kind#NOT_EXECUTED}
 *     ({@code batch_expired}, {@code batch_cancelled}, {@code request_timeout}).</li>
 * </ul>
 *
 * <p>This runs once per result line when results are merged, and embedding lines carry tens of
 * kilobytes of numbers, so it makes one streaming pass and hands out sub-trees (content, vector,
 * usage) as slices of the input text: the parser only skips over them, it never converts or
 * re-writes them. Keys may come in any order. Not thread-safe: one decoder per thread.
 */
public final class OpenAiResultDecoder implements ResultDecoder {

    private static final String WHAT = "batch result line";

    /** Scrubbed from error messages: a provider may quote the key back. */
    private final List<String> secrets;

    private RawJsonReader rawReader;

    private String customId;
    private boolean responseSeen;
    private int statusCode;
    private String content;
    private boolean contentSeen;
    private String usage;
    private String bodyErrorCode;
    private String bodyErrorType;
    private String bodyErrorMessage;
    private String lineErrorCode;
    private String lineErrorMessage;
    private boolean lineErrorSeen;
    private String[] vectors = new String[4];
    private int[] vectorIndexes = new int[4];
    private int vectorCount;

    /** A decoder that scrubs nothing (tests, and results read without the key at hand). */
    public OpenAiResultDecoder() {
        this(List.of());
    }

    /** @param secrets texts to replace in error messages, such as the API key */
    public OpenAiResultDecoder(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    @Override
    public ResultLine decode(byte[] line, int offset, int length) {
        reset();
        try {
            ResultLineParser.parse(line, offset, length, WHAT, (parser, raw) -> {
                rawReader = raw;
                readLine(parser);
            });
        } finally {
            rawReader = null;
        }
        return result();
    }

    /** Reads top-level keys only until {@code custom_id} (the second key in OpenAI's lines). */
    @Override
    public String customIdOf(byte[] line, int offset, int length) {
        return ResultLineParser.stringField(line, offset, length, "custom_id", WHAT);
    }

    private void reset() {
        customId = null;
        responseSeen = false;
        statusCode = 0;
        content = null;
        contentSeen = false;
        usage = null;
        bodyErrorCode = null;
        bodyErrorType = null;
        bodyErrorMessage = null;
        lineErrorCode = null;
        lineErrorMessage = null;
        lineErrorSeen = false;
        vectorCount = 0;
    }

    private ResultLine result() {
        if (customId == null) {
            throw new IllegalArgumentException("not a batch result line: no custom_id");
        }
        if (responseSeen) {
            if (statusCode >= 200 && statusCode < 300) {
                return new ResultLine(customId, ResultLine.Kind.SUCCEEDED, statusCode, null, null, contentJson(), usage);
            }
            String code = bodyErrorCode != null ? bodyErrorCode : bodyErrorType;
            String message = bodyErrorMessage != null ? bodyErrorMessage : "HTTP " + statusCode;
            return new ResultLine(customId, ResultLine.Kind.HTTP_ERROR, statusCode, SecretHeaders.scrub(code, secrets),
                    SecretHeaders.scrub(message, secrets), null, usage);
        }
        if (lineErrorSeen) {
            return new ResultLine(customId, ResultLine.Kind.NOT_EXECUTED, 0, SecretHeaders.scrub(lineErrorCode, secrets),
                    SecretHeaders.scrub(lineErrorMessage, secrets), null, null);
        }
        throw new IllegalArgumentException("batch result line " + customId + " has neither response nor error");
    }

    private String contentJson() {
        if (contentSeen) {
            return content == null ? "null" : content;
        }
        if (vectorCount == 0) {
            return null;
        }
        if (vectorCount == 1) {
            return vectors[0];
        }
        sortVectorsByIndex();
        int size = 2 + vectorCount - 1;
        for (int i = 0; i < vectorCount; i++) {
            size += vectors[i].length();
        }
        StringBuilder all = new StringBuilder(size).append('[');
        for (int i = 0; i < vectorCount; i++) {
            if (i > 0) {
                all.append(',');
            }
            all.append(vectors[i]);
        }
        return all.append(']').toString();
    }

    // insertion sort: a handful of items, usually already in order
    private void sortVectorsByIndex() {
        for (int i = 1; i < vectorCount; i++) {
            int index = vectorIndexes[i];
            String vector = vectors[i];
            int j = i - 1;
            while (j >= 0 && vectorIndexes[j] > index) {
                vectorIndexes[j + 1] = vectorIndexes[j];
                vectors[j + 1] = vectors[j];
                j--;
            }
            vectorIndexes[j + 1] = index;
            vectors[j + 1] = vector;
        }
    }

    private void readLine(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "custom_id" -> customId = value == JsonToken.VALUE_STRING ? parser.getText() : skip(parser);
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
                        lineErrorSeen = true;
                        readLineError(parser);
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
            if ("status_code".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                statusCode = parser.getIntValue();
            } else if ("body".equals(name) && value == JsonToken.START_OBJECT) {
                readBody(parser);
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readBody(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "choices" -> {
                    if (value == JsonToken.START_ARRAY) {
                        readChoices(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "data" -> {
                    if (value == JsonToken.START_ARRAY) {
                        readData(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "output" -> {
                    if (value == JsonToken.START_ARRAY) {
                        readOutput(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
                case "usage" -> usage = value == JsonToken.VALUE_NULL ? null : rawReader.current();
                case "error" -> {
                    if (value == JsonToken.START_OBJECT) {
                        readBodyError(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
    }

    private void readChoices(JsonParser parser) throws IOException {
        boolean first = true;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (first && parser.currentToken() == JsonToken.START_OBJECT) {
                readChoice(parser);
            } else {
                parser.skipChildren();
            }
            first = false;
        }
    }

    private void readChoice(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("message".equals(name) && value == JsonToken.START_OBJECT) {
                contentSeen = true;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    boolean isContent = "content".equals(parser.currentName());
                    JsonToken contentValue = parser.nextToken();
                    if (isContent) {
                        content = contentValue == JsonToken.VALUE_NULL ? null : rawReader.current();
                    } else {
                        parser.skipChildren();
                    }
                }
            } else if ("text".equals(name) && !contentSeen) {
                contentSeen = true;
                content = value == JsonToken.VALUE_NULL ? null : rawReader.current();
            } else {
                parser.skipChildren();
            }
        }
    }

    /**
     * A Responses API {@code output}: the text of every {@code output_text} part of its {@code message}
     * items, joined (as the SDKs' {@code output_text} does); reasoning and tool items are not the answer.
     */
    private void readOutput(JsonParser parser) throws IOException {
        contentSeen = true;
        StringBuilder text = null;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean parts = "content".equals(parser.currentName());
                if (parser.nextToken() != JsonToken.START_ARRAY || !parts) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    String part = outputText(parser);
                    if (part != null) {
                        text = text == null ? new StringBuilder(part) : text.append(part);
                    }
                }
            }
        }
        content = text == null ? null : '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    /** The text of an {@code output_text} content part, or null for any other part. */
    private static String outputText(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String type = null;
        String text = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
                type = parser.getText();
            } else if ("text".equals(name) && value == JsonToken.VALUE_STRING) {
                text = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return "output_text".equals(type) ? text : null;
    }

    private void readData(JsonParser parser) throws IOException {
        int position = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                position++;
                continue;
            }
            String vector = null;
            int index = position;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("embedding".equals(name)) {
                    vector = rawReader.current();
                } else if ("index".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                    index = parser.getIntValue();
                } else {
                    parser.skipChildren();
                }
            }
            if (vector != null) {
                addVector(index, vector);
            }
            position++;
        }
    }

    private void addVector(int index, String vector) {
        if (vectorCount == vectors.length) {
            vectors = Arrays.copyOf(vectors, vectorCount * 2);
            vectorIndexes = Arrays.copyOf(vectorIndexes, vectorCount * 2);
        }
        vectors[vectorCount] = vector;
        vectorIndexes[vectorCount] = index;
        vectorCount++;
    }

    private void readBodyError(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value != JsonToken.VALUE_STRING) {
                parser.skipChildren();
                continue;
            }
            switch (name) {
                case "code" -> bodyErrorCode = parser.getText();
                case "type" -> bodyErrorType = parser.getText();
                case "message" -> bodyErrorMessage = parser.getText();
                default -> { }
            }
        }
    }

    private void readLineError(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value != JsonToken.VALUE_STRING) {
                parser.skipChildren();
                continue;
            }
            switch (name) {
                case "code" -> lineErrorCode = parser.getText();
                case "message" -> lineErrorMessage = parser.getText();
                default -> { }
            }
        }
    }

    private static String skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }
}
