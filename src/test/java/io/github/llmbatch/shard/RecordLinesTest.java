package io.github.llmbatch.shard;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecordLinesTest {

    @Test
    void encodeThenDecodeKeepsIdsAndTheRecordByteForByte() {
        String record = "{\"id\":\"a\\\"b\",\"n\":1.10,\"big\":1e5,\"t\":\"caf\u00e9 \uD83D\uDE00\\n\",\"o\":{\"x\":[1,2]}}";
        byte[] padded = ("xx" + record + "yy").getBytes(StandardCharsets.UTF_8);
        int len = record.getBytes(StandardCharsets.UTF_8).length;
        byte[] line = RecordLines.encode(42, "a\"b\u00e9", "x-0123", padded, 2, len);

        String text = new String(line, StandardCharsets.UTF_8);
        assertEquals("{\"line\":42,\"id\":\"a\\\"b\u00e9\",\"custom_id\":\"x-0123\",\"record\":" + record + "}", text);

        byte[] buf = ("PRE" + text).getBytes(StandardCharsets.UTF_8);
        RecordLines.RecordLine decoded = RecordLines.decode(buf, 3, buf.length - 3);
        assertEquals(42, decoded.line());
        assertEquals("a\"b\u00e9", decoded.id());
        assertEquals("x-0123", decoded.customId());
        assertEquals(record, new String(decoded.buffer(), decoded.recordOffset(), decoded.recordLength(),
                StandardCharsets.UTF_8));
    }

    @Test
    void anIdThatIsItsOwnCustomIdIsWrittenTwiceEscaped() {
        byte[] record = "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8);
        String id = "q\"\\\u00e9";
        byte[] line = RecordLines.encode(0, id, id, record, 0, record.length);
        assertEquals("{\"line\":0,\"id\":\"q\\\"\\\\\u00e9\",\"custom_id\":\"q\\\"\\\\\u00e9\",\"record\":{\"k\":\"v\"}}",
                new String(line, StandardCharsets.UTF_8));
    }

    @Test
    void decodeRefusesLinesItDidNotWrite() {
        for (String bad : new String[] {"", "[]", "{\"line\":1,\"id\":\"a\",\"custom_id\":\"a\"}",
                "{\"line\":1,\"id\":\"a\",\"custom_id\":\"a\",\"record\":[1]}", "{\"line\":1,\"id\":\"a\""}) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertThrows(IllegalArgumentException.class, () -> RecordLines.decode(b, 0, b.length), bad);
        }
    }
}
