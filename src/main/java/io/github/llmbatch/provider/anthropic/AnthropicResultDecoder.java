package io.github.llmbatch.provider.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.llmbatch.provider.RawJsonReader;
import io.github.llmbatch.provider.ResultDecoder;
import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.provider.ResultLineParser;
import io.github.llmbatch.provider.SecretHeaders;

import java.io.IOException;
import java.util.List;

/**
 * Reads lines of a Message Batches results file (§B.4), {@code {"custom_id", "result":{"type", …}}}:
 * <ul>
 * <li>{@code succeeded}: {@link ResultLine.Kind#SUCCEEDED}; the content is the message's text blocks
 *     joined, as a JSON string literal, or without text blocks the first {@code tool_use} block's
 *     {@code input} as JSON text (a response schema's forced tool); JSON {@code null} when it has neither;
 *     the usage is the message's {@code usage} as sent;</li>
 * <li>{@code errored}: {@link ResultLine.Kind#HTTP_ERROR} with {@code error.error.type} as the code and
 *     the HTTP status Anthropic documents for that type (§B.5), so the status rule still holds for
 *     types this client does not name;</li>
 * <li>{@code canceled}, {@code expired}: {@link ResultLine.Kind#NOT_EXECUTED} with the type as the code.</li>
 * </ul>
 * One streaming pass; keys may come in any order. Not thread-safe: one decoder per thread.
 */
public final class AnthropicResultDecoder implements ResultDecoder {

    static final String CANCELED = "canceled";
    static final String EXPIRED = "expired";

    private static final String WHAT = "Message Batches result line";
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

    private final List<String> secrets;

    private RawJsonReader raw;
    private String customId;
    private String type;
    private StringBuilder text;
    private String toolInput;
    private String usage;
    private String errorType;
    private String errorMessage;

    /** @param secrets texts to replace in error messages, such as the API key */
    public AnthropicResultDecoder(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    @Override
    public ResultLine decode(byte[] line, int offset, int length) {
        customId = null;
        type = null;
        text = null;
        toolInput = null;
        usage = null;
        errorType = null;
        errorMessage = null;
        try {
            ResultLineParser.parse(line, offset, length, WHAT, (parser, reader) -> {
                raw = reader;
                readLine(parser);
            });
        } finally {
            raw = null;
        }
        return result();
    }

    @Override
    public String customIdOf(byte[] line, int offset, int length) {
        return ResultLineParser.stringField(line, offset, length, "custom_id", WHAT);
    }

    private ResultLine result() {
        if (customId == null) {
            throw new IllegalArgumentException("not a " + WHAT + ": no custom_id");
        }
        if (type == null) {
            throw new IllegalArgumentException(WHAT + " " + customId + " has no result.type");
        }
        return switch (type) {
            case "succeeded" -> new ResultLine(customId, ResultLine.Kind.SUCCEEDED, 200, null, null,
                    answer() == null ? "null" : "\"" + new String(ESCAPE.quoteAsString(answer())) + "\"", usage);
            case "errored" -> {
                String code = errorType == null ? "error" : errorType;
                yield new ResultLine(customId, ResultLine.Kind.HTTP_ERROR, ErrorTypes.httpStatus(code),
                        SecretHeaders.scrub(code, secrets),
                        SecretHeaders.scrub(errorMessage == null ? code : errorMessage, secrets), null, null);
            }
            case CANCELED, EXPIRED -> new ResultLine(customId, ResultLine.Kind.NOT_EXECUTED, 0, type,
                    CANCELED.equals(type) ? "the batch was canceled before this request ran"
                            : "the batch expired before this request ran", null, null);
            default -> throw new IllegalArgumentException(WHAT + " " + customId + " has an unknown result.type '"
                    + type + "'");
        };
    }

    /**
     * The text, or without text a tool's input: a forced tool (how a response schema is sent) carries the
     * structured answer, and Anthropic writes no text before a forced tool's call.
     */
    private CharSequence answer() {
        return text != null ? text : toolInput;
    }

    private void readLine(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("custom_id".equals(name) && value == JsonToken.VALUE_STRING) {
                customId = parser.getText();
            } else if ("result".equals(name) && value == JsonToken.START_OBJECT) {
                readResult(parser);
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readResult(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
                type = parser.getText();
            } else if ("message".equals(name) && value == JsonToken.START_OBJECT) {
                readMessage(parser);
            } else if ("error".equals(name) && value == JsonToken.START_OBJECT) {
                readErrorResponse(parser);
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readMessage(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("content".equals(name) && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    readBlock(parser);
                }
            } else if ("usage".equals(name) && value != JsonToken.VALUE_NULL) {
                usage = raw.current();
            } else {
                parser.skipChildren();
            }
        }
    }

    /**
     * A content block: {@code text} blocks are the answer, or the first {@code tool_use} block's
     * {@code input}, as the JSON text it came as (not thinking, …).
     */
    private void readBlock(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        String blockType = null;
        String blockText = null;
        String blockInput = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
                blockType = parser.getText();
            } else if ("text".equals(name) && value == JsonToken.VALUE_STRING) {
                blockText = parser.getText();
            } else if ("input".equals(name) && value == JsonToken.START_OBJECT) {
                blockInput = raw.current();
            } else {
                parser.skipChildren();
            }
        }
        if ("tool_use".equals(blockType) && blockInput != null && toolInput == null) {
            toolInput = blockInput;
        }
        if ("text".equals(blockType) && blockText != null) {
            // joined without a separator, as the SDKs' "text" helpers do
            text = text == null ? new StringBuilder(blockText) : text.append(blockText);
        }
    }

    /** {@code {"type":"error","error":{"type","message"},"request_id"}}. */
    private void readErrorResponse(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("error".equals(name) && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken fieldValue = parser.nextToken();
                    if ("type".equals(field) && fieldValue == JsonToken.VALUE_STRING) {
                        errorType = parser.getText();
                    } else if ("message".equals(field) && fieldValue == JsonToken.VALUE_STRING) {
                        errorMessage = parser.getText();
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
    }
}
