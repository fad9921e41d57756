package io.github.llmbatch.pipeline;

import io.github.llmbatch.provider.ResultLine;
import io.github.llmbatch.provider.openai.OpenAiResultDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.github.llmbatch.pipeline.MergeSourceTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Damaged result files, made by hand, read line by line: the bad lines are reported, the rest kept. */
class ResultFileScanTest {

    @TempDir
    Path dir;

    @Test
    void eachDamagedLineIsReportedWithItsNumberAndTheRestIsDecoded() throws IOException {
        Path file = dir.resolve("output.jsonl");
        String cut = ok("r-5", "five");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write((ok("r-1", "one") + "\n\n").getBytes(StandardCharsets.UTF_8));                 // 1, 2 (blank)
            out.write("{\"id\":\"batch_req_x\",\"custom_id\":\"r-2\",\"response\":{\"status_code\":200,\"body\":{garbage}}}\n"
                    .getBytes(StandardCharsets.UTF_8));                                               // 3
            out.write(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 7, '\n'});                             // 4: binary junk
            out.write((ok("r-4", "four") + "\n").getBytes(StandardCharsets.UTF_8));                  // 5
            out.write(cut.substring(0, cut.length() / 2).getBytes(StandardCharsets.UTF_8));        // 6: cut mid-line
        }
        List<String> decoded = new ArrayList<>();

        ResultFileScan.Report report = ResultFileScan.scan(file, new OpenAiResultDecoder(),
                (ResultLine r) -> decoded.add(r.customId()));

        assertEquals(List.of("r-1", "r-4"), decoded);
        assertEquals(6, report.lines());
        assertEquals(3, report.malformedLines());
        assertEquals(List.of(3L, 4L, 6L), report.malformed().stream().map(ResultFileScan.Malformed::line).toList());
        assertEquals("r-2", report.malformed().get(0).customId());
        assertEquals(null, report.malformed().get(1).customId(), "nothing readable in binary junk");
        assertEquals("r-5", report.malformed().get(2).customId(), "the custom_id comes before the cut");
        String described = report.malformed().get(2).describe(file);
        assertTrue(described.startsWith(file + " line 6 (custom_id r-5): not a batch result line: "), described);
        assertEquals(6, ResultFileScan.lineAt(file, Files.size(file) - cut.length() / 2));
    }

    @Test
    void aWholeFileIsClean() throws IOException {
        Path file = Files.writeString(dir.resolve("output.jsonl"), ok("r-1", "one") + "\r\n" + ok("r-2", "two") + "\n");
        ResultFileScan.Report report = ResultFileScan.scan(file, new OpenAiResultDecoder(), r -> { });
        assertTrue(report.clean());
        assertEquals(2, report.lines());
    }

    @Test
    void onlyTheFirstBadLinesAreKeptButAllAreCounted() throws IOException {
        Path file = Files.writeString(dir.resolve("output.jsonl"), "junk\n".repeat(ResultFileScan.MAX_REPORTED + 5));
        ResultFileScan.Report report = ResultFileScan.scan(file, new OpenAiResultDecoder(), r -> { });
        assertEquals(ResultFileScan.MAX_REPORTED + 5, report.malformedLines());
        assertEquals(ResultFileScan.MAX_REPORTED, report.malformed().size());
    }
}
