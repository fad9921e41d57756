package io.github.llmbatch.cli;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportCommandTest {

    private static final Path CWD = Path.of("/home/me/jobs");
    private static final InstancePaths PATHS = InstancePaths.of(Path.of("/data/work"), 4);

    @Test
    void outIsRelativeToTheCurrentDirectory() throws UsageException {
        ReportCommand.Request request = ReportCommand.parse(List.of("12", "--out", "r/run.html"));
        assertEquals(12, request.executionId());
        assertEquals(Path.of("/home/me/jobs/r/run.html"), ReportCommand.target(request, merged(), PATHS, CWD));
    }

    @Test
    void byDefaultWhereTheMergeWroteIt() throws UsageException {
        assertEquals(Path.of("/data/out/answers.jsonl.report.html"),
                ReportCommand.target(ReportCommand.parse(List.of("12")), merged(), PATHS, CWD));
    }

    @Test
    void beforeTheMergeInTheInstanceWorkDirectory() throws UsageException {
        assertEquals(Path.of("/data/work/instance-4/report.html"),
                ReportCommand.target(ReportCommand.parse(List.of("12")), new Ledger(), PATHS, CWD));
    }

    private static Ledger merged() {
        Ledger ledger = new Ledger();
        ledger.merge = new Ledger.MergeSummary();
        ledger.merge.report = "/data/out/answers.jsonl.report.html";
        return ledger;
    }
}
