package io.github.llmbatch.cli;

import io.github.llmbatch.cost.Usd;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Runs the distribution's launcher ({@code target/llm-batch/bin/llm-batch}) as real processes
 * against a temporary H2 job repository, with the test job {@code cli-test} on
 * {@code LLM_BATCH_CLASSPATH}. Every command is a new JVM, as a user's would be.
 */
class CliIT {

    private static final Pattern STARTED = Pattern.compile("started execution (\\d+) ");
    private static final Type LIST_OF_MAPS = new ArrayList<Map<String, Object>>() { }.getClass().getGenericSuperclass();

    @TempDir
    static Path tmp;

    private static Path launcher;
    private static Path testClasses;
    private static Jsonb jsonb;

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void locate() throws Exception {
        launcher = Path.of(System.getProperty("llmbatch.dist", "target/llm-batch")).resolve("bin/llm-batch");
        assertTrue(Files.isExecutable(launcher), "run `mvn package` first: " + launcher);
        testClasses = Path.of(CliIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        jsonb = JsonbBuilder.create();
    }

    @AfterAll
    static void close() throws Exception {
        jsonb.close();
    }

    @Test
    void runCompletesAndListAndStatusDescribeIt() throws Exception {
        Path jobDir = Files.createDirectories(tmp.resolve("complete/job"));
        Files.writeString(jobDir.resolve("job.properties"), "output=out/lines.txt\nrecords=25\nworkDir=work\n");
        Path cwd = Files.createDirectories(tmp.resolve("complete/cwd"));

        Result run = cli(cwd, Map.of(), "run", "../job/job.properties", "--job", "cli-test");

        assertEquals(0, run.exit(), run::toString);
        long id = executionId(run.out());
        assertTrue(run.out().contains("execution " + id + " COMPLETED"), run::toString);
        assertTrue(run.out().contains("records 25, rejects 0, requests 25/25 done"), run::toString);
        assertEquals(25, Files.readAllLines(jobDir.resolve("out/lines.txt")).size(), "relative to the properties file");

        Result list = cli(cwd, Map.of(), "list", "--json");
        assertEquals(0, list.exit(), list::toString);
        List<Map<String, Object>> executions = jsonb.fromJson(list.out(), LIST_OF_MAPS);
        Map<String, Object> listed = executions.stream()
                .filter(e -> ((Number) e.get("executionId")).longValue() == id).findFirst().orElseThrow();
        assertEquals("cli-test", listed.get("jobName"));
        assertEquals("COMPLETED", listed.get("batchStatus"));
        assertEquals("COMPLETED", listed.get("exitStatus"));
        assertTrue(listed.containsKey("instanceId"));
        Instant start = Instant.parse((String) listed.get("startTime"));
        Instant end = Instant.parse((String) listed.get("endTime"));
        assertTrue(!end.isBefore(start));
        List<Long> ids = executions.stream().map(e -> ((Number) e.get("executionId")).longValue()).toList();
        assertEquals(ids.stream().sorted((a, b) -> Long.compare(b, a)).toList(), ids, "newest first");

        Map<String, Object> status = statusJson(cwd, id);
        assertEquals("COMPLETED", status.get("batchStatus"));
        List<Map<String, Object>> steps = list(status.get("steps"));
        assertEquals(List.of("count", "ledger", "work"), steps.stream().map(s -> s.get("stepName")).toList());
        Map<String, Object> countMetrics = map(steps.get(0).get("metrics"));
        assertEquals(25, ((Number) countMetrics.get("readCount")).intValue());
        assertEquals(25, ((Number) countMetrics.get("writeCount")).intValue());
        assertEquals(3, ((Number) countMetrics.get("commitCount")).intValue());
        Map<String, Object> ledger = map(status.get("ledger"));
        assertEquals(25, ((Number) ledger.get("requestsTotal")).intValue());
        assertEquals(Map.of("completed", 1), Map.of("completed", ((Number) map(ledger.get("batchesByStatus"))
                .get("completed")).intValue()));
        Map<String, Object> parameters = map(status.get("parameters"));
        assertEquals(jobDir.resolve("out/lines.txt").toString(), parameters.get("output"));
        assertEquals(jobDir.resolve("work").toString(), parameters.get("workDir"));

        Result text = cli(cwd, Map.of(), "status");
        assertEquals(0, text.exit(), text::toString);
        assertTrue(text.out().contains("batch status: COMPLETED"), text::toString);
    }

    /**
     * The real job against the embedded emulator: the bill the run prints at its end is the one a new
     * JVM's {@code status} prints, and {@code status --json} has it exactly: the tokens of the output's
     * succeeded records, priced with the prices recorded in the ledger.
     */
    @Test
    void theBillOfTheRunIsTheBillOfALaterStatus() throws Exception {
        Path jobDir = Files.createDirectories(tmp.resolve("bill/job"));
        StringBuilder records = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            records.append("{\"id\":\"b-").append(i).append("\",\"text\":\"item number ").append(i).append("\"}\n");
        }
        Files.writeString(jobDir.resolve("in.jsonl"), records);
        Files.writeString(jobDir.resolve("job.properties"), String.join("\n", "input=in.jsonl", "output=out.jsonl",
                "workDir=work", "baseUrl=embedded", "model=gpt-4o-mini", "maxTokens=16", "pollInterval=200ms",
                "userTemplate=Say something about {{text}}", "emulatorFaults=fail500=b-(4|9)", ""));
        Path cwd = Files.createDirectories(tmp.resolve("bill/cwd"));
        Map<String, String> key = Map.of("OPENAI_API_KEY", "sk-test-bill");

        Result run = cli(cwd, key, "run", "../job/job.properties");

        assertEquals(0, run.exit(), run::toString);
        long id = executionId(run.out());
        String billLine = run.out().lines().filter(l -> l.startsWith("  bill: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no bill in the summary:\n" + run));
        Result text = cli(cwd, Map.of(), "status", Long.toString(id));
        assertEquals(0, text.exit(), text::toString);
        assertTrue(text.out().lines().anyMatch(billLine::equals), "status shows the run's bill " + billLine + ":\n" + text);

        long requests = 0;
        long input = 0;
        long cached = 0;
        long output = 0;
        for (String line : Files.readAllLines(jobDir.resolve("out.jsonl"))) {
            Map<String, Object> record = jsonb.fromJson(line, Map.class);
            if ("succeeded".equals(record.get("status"))) {
                Map<String, Object> usage = map(record.get("usage"));
                requests++;
                input += ((Number) usage.get("prompt_tokens")).longValue();
                output += ((Number) usage.get("completion_tokens")).longValue();
            }
        }
        assertEquals(30, requests);
        assertTrue(billLine.startsWith("  bill: 30 requests, " + input + " input tokens (0 cached), " + output
                + " output tokens: batch $"), billLine);

        Result status = cli(cwd, Map.of(), "status", Long.toString(id), "--json");
        assertEquals(0, status.exit(), status::toString);
        JsonObject cost = Json.createReader(new StringReader(status.out())).readObject()
                .getJsonObject("cost");
        assertEquals("USD", cost.getString("currency"));
        assertTrue(cost.getBoolean("priced"), status::toString);
        JsonObject bill = cost.getJsonObject("bill");
        assertEquals(List.of(requests, input, cached, output), List.of(bill.getJsonNumber("requests").longValue(),
                bill.getJsonNumber("inputTokens").longValue(), bill.getJsonNumber("cachedInputTokens").longValue(),
                bill.getJsonNumber("outputTokens").longValue()));
        JsonObject prices;
        try (Stream<Path> dirs = Files.list(jobDir.resolve("work"))) {
            Path ledger = dirs.filter(d -> d.getFileName().toString().startsWith("instance-")).findFirst().orElseThrow()
                    .resolve("ledger.json");
            prices = Json.createReader(Files.newBufferedReader(ledger)).readObject().getJsonObject("prices");
        }
        BigDecimal batch = prices.getJsonNumber("batchInput").bigDecimalValue()
                .multiply(BigDecimal.valueOf(input))
                .add(prices.getJsonNumber("batchOutput").bigDecimalValue().multiply(BigDecimal.valueOf(output)))
                .movePointLeft(6);
        BigDecimal sync = prices.getJsonNumber("standardInput").bigDecimalValue()
                .multiply(BigDecimal.valueOf(input))
                .add(prices.getJsonNumber("standardOutput").bigDecimalValue().multiply(BigDecimal.valueOf(output)))
                .movePointLeft(6);
        assertEquals(0, batch.compareTo(bill.getJsonNumber("batchUsd").bigDecimalValue()), status::toString);
        assertEquals(0, sync.compareTo(bill.getJsonNumber("syncUsd").bigDecimalValue()), status::toString);
        assertEquals(0, sync.subtract(batch).compareTo(bill.getJsonNumber("savingUsd").bigDecimalValue()));
        assertTrue(billLine.contains("batch " + Usd.format(batch) + ", at synchronous prices " + Usd.format(sync)),
                billLine);
        assertEquals(30, cost.getJsonObject("estimate").getJsonNumber("requests").longValue());
    }

    @Test
    void failedRunRestartsInANewJvmFromAnotherDirectoryWithItsOriginalParameters() throws Exception {
        Path jobDir = Files.createDirectories(tmp.resolve("failing/job"));
        Files.writeString(jobDir.resolve("job.properties"), "output=out/lines.txt\nrecords=12\nfail=true\n");
        Path cwd = Files.createDirectories(tmp.resolve("failing/cwd"));
        Path other = Files.createDirectories(tmp.resolve("failing/other"));

        Result run = cli(cwd, Map.of(), "run", jobDir.resolve("job.properties").toString(), "--job", "cli-test");

        assertEquals(1, run.exit(), run::toString);
        long id = executionId(run.out());
        assertTrue(run.out().contains("execution " + id + " FAILED"), run::toString);
        assertTrue(run.out().contains("restart with: llm-batch restart " + id), run::toString);

        Result restart = cli(other, Map.of(), "restart", Long.toString(id), "-p", "fail=false");

        assertEquals(0, restart.exit(), restart::toString);
        long restarted = executionId(restart.out());
        assertNotEquals(id, restarted);
        Map<String, Object> status = statusJson(other, restarted);
        assertEquals("COMPLETED", status.get("batchStatus"));
        assertEquals(statusJson(other, id).get("instanceId"), status.get("instanceId"));
        Map<String, Object> parameters = map(status.get("parameters"));
        assertEquals("false", parameters.get("fail"), "-p replaces the original value");
        assertEquals("12", parameters.get("records"), "the original parameters are kept");
        assertEquals(jobDir.resolve("out/lines.txt").toString(), parameters.get("output"));
        assertEquals(cwd.resolve("llm-batch-work").toString(), parameters.get("workDir"),
                "the default work directory is pinned where run was started");
        // the completed chunk step is not run again
        assertEquals(12, Files.readAllLines(jobDir.resolve("out/lines.txt")).size());

        Result again = cli(other, Map.of(), "restart", Long.toString(restarted));
        assertEquals(1, again.exit(), again::toString);
        assertTrue(again.err().contains("COMPLETED"), again::toString);
    }

    @Test
    void ctrlCStopsTheJobAndALaterRestartCompletes() throws Exception {
        assumeFalse(sigintIgnored(), "this JVM was started with SIGINT ignored (background shell job),"
                + " so its children cannot receive it");
        Path cwd = Files.createDirectories(tmp.resolve("interrupt"));
        Files.writeString(cwd.resolve("job.properties"), "output=lines.txt\nrecords=5\nsleepSeconds=300\n");

        Running running = startLong(cwd);
        new ProcessBuilder("kill", "-INT", Long.toString(running.process().pid())).start().waitFor();

        assertTrue(running.process().waitFor(60, TimeUnit.SECONDS), "run did not end after SIGINT");
        assertEquals(130, running.process().exitValue());
        String out = Files.readString(running.stdout());
        assertTrue(out.contains("execution " + running.id() + " STOPPED"), out);
        assertTrue(out.contains("restart with: llm-batch restart " + running.id()), out);
        assertEquals("STOPPED", statusJson(cwd, running.id()).get("batchStatus"));

        Result restart = cli(cwd, Map.of(), "restart", Long.toString(running.id()), "-p", "sleepSeconds=0");
        assertEquals(0, restart.exit(), restart::toString);
        assertEquals("COMPLETED", statusJson(cwd, executionId(restart.out())).get("batchStatus"));
    }

    @Test
    void restartIsRefusedWhileTheInstanceRunsAndSigtermStopsIt() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(cwd.resolve("job.properties"), "output=lines.txt\nrecords=5\nsleepSeconds=300\n");
        Running running = startLong(cwd);
        try {
            // JBeret alone would mark the STARTED execution FAILED and run it a second time
            Result restart = cli(cwd, Map.of(), "restart", Long.toString(running.id()));
            assertEquals(1, restart.exit(), restart::toString);
            assertTrue(restart.err().contains("running right now"), restart::toString);
            assertEquals("STARTED", statusJson(cwd, running.id()).get("batchStatus"));
        } finally {
            running.process().destroy(); // SIGTERM
        }
        assertTrue(running.process().waitFor(60, TimeUnit.SECONDS), "run did not end after SIGTERM");
        assertEquals(143, running.process().exitValue());
        assertEquals("STOPPED", statusJson(cwd, running.id()).get("batchStatus"));
    }

    @Test
    void fourRunsStartedAtOnceShareTheRepositoryAndOnlyOneWritesAnOutput() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("concurrent"));
        StringBuilder records = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            records.append("{\"id\":\"r-").append(i).append("\",\"name\":\"item ").append(i).append("\"}\n");
        }
        Files.writeString(cwd.resolve("in.jsonl"), records);
        Files.writeString(cwd.resolve("job.properties"), String.join("\n", "input=in.jsonl", "workDir=work",
                "baseUrl=embedded", "model=gpt-4o-mini", "userTemplate=Say {{name}}", "pollInterval=500ms", ""));

        // the repository is shared with the other tests of this class: count only this test's executions
        long before = llmBatchExecutions(cwd).stream().mapToLong(e -> ((Number) e.get("executionId")).longValue())
                .max().orElse(0);

        // same output: one run writes it, the others are refused and say by whom; its batch stays in
        // progress long enough for all four JVMs to have started, however slowly
        List<Result> same = runAtOnce(cwd, 4, i -> List.of("-p", "emulatorFaults=inProgressMs=30000"));
        List<Result> completed = same.stream().filter(r -> r.exit() == 0).toList();
        assertEquals(1, completed.size(), same::toString);
        for (Result refused : same.stream().filter(r -> r.exit() != 0).toList()) {
            assertEquals(1, refused.exit(), refused::toString);
            assertTrue(refused.out().contains("REFUSED: output " + cwd.resolve("in.jsonl.results.jsonl")
                    + " is in use by another running execution (execution "), refused::toString);
        }
        assertEquals(20, Files.readAllLines(cwd.resolve("in.jsonl.results.jsonl")).size());

        // four outputs: all four complete, none fails on the shared H2 file
        List<Result> distinct = runAtOnce(cwd, 4, i -> List.of("-p", "output=out-" + i + ".jsonl"));
        for (int i = 0; i < 4; i++) {
            assertEquals(0, distinct.get(i).exit(), distinct.get(i)::toString);
            assertEquals(20, Files.readAllLines(cwd.resolve("out-" + i + ".jsonl")).size());
        }

        List<Map<String, Object>> executions = llmBatchExecutions(cwd).stream()
                .filter(e -> ((Number) e.get("executionId")).longValue() > before).toList();
        List<Object> llmBatch = executions.stream().map(e -> e.get("batchStatus")).toList();
        assertEquals(8, llmBatch.size(), executions::toString);
        assertEquals(5, llmBatch.stream().filter("COMPLETED"::equals).count(), executions::toString);
        assertEquals(3, llmBatch.stream().filter("FAILED"::equals).count(), "none left STARTING or STARTED: " + executions);
    }

    private List<Map<String, Object>> llmBatchExecutions(Path cwd) throws Exception {
        Result list = cli(cwd, Map.of(), "list", "--json");
        assertEquals(0, list.exit(), list::toString);
        List<Map<String, Object>> executions = jsonb.fromJson(list.out(), LIST_OF_MAPS);
        return executions.stream().filter(e -> "llm-batch".equals(e.get("jobName"))).toList();
    }

    /** Starts {@code run job.properties} {@code n} times without waiting between them; waits for all. */
    private List<Result> runAtOnce(Path cwd, int n, java.util.function.IntFunction<List<String>> extraArgs)
            throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Path[]> outputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> command = new ArrayList<>(List.of(launcher.toString(), "run", "job.properties"));
            command.addAll(extraArgs.apply(i));
            Path out = Files.createTempFile(tmp, "stdout", ".txt");
            Path err = Files.createTempFile(tmp, "stderr", ".txt");
            ProcessBuilder pb = builder(command, cwd, Map.of());
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            processes.add(pb.start());
            outputs.add(new Path[] {out, err});
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Process p = processes.get(i);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                processes.forEach(Process::destroyForcibly);
                fail("run " + i + " did not finish");
            }
            results.add(new Result(p.exitValue(), Files.readString(outputs.get(i)[0]),
                    Files.readString(outputs.get(i)[1])));
        }
        return results;
    }

    @Test
    void launcherWorksThroughASymlinkAndReportsPeakHeap() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("llm-batch-link"), launcher.toAbsolutePath());
        Result help = run(List.of(link.toString(), "help"), tmp, Map.of("LLM_BATCH_REPORT_HEAP", "1"));
        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().contains("usage: llm-batch"), help::toString);
        assertTrue(Pattern.compile("(?m)^peak_heap_mb=\\d+$").matcher(help.err()).find(), help::toString);

        Result bad = cli(tmp, Map.of(), "nonsense");
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("usage: llm-batch"), bad::toString);
    }

    // --- helpers

    record Running(Process process, long id, Path stdout) {
    }

    /** Starts {@code run} of a sleeping test job and returns once its sleeping step has begun. */
    private Running startLong(Path cwd) throws Exception {
        Path stdout = cwd.resolve("run.out");
        ProcessBuilder pb = builder(List.of(launcher.toString(), "run", "job.properties", "--job", "cli-test"), cwd,
                Map.of());
        pb.redirectOutput(stdout.toFile());
        pb.redirectError(cwd.resolve("run.err").toFile());
        Process process = pb.start();
        Path marker = cwd.resolve("llm-batch-work/sleeping");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(marker)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                fail("the job did not reach its sleeping step:\n" + Files.readString(stdout) + "\n"
                        + Files.readString(cwd.resolve("run.err")));
            }
            Thread.sleep(100);
        }
        return new Running(process, executionId(Files.readString(stdout)), stdout);
    }

    private Map<String, Object> statusJson(Path cwd, long id) throws Exception {
        Result status = cli(cwd, Map.of(), "status", Long.toString(id), "--json");
        assertEquals(0, status.exit(), status::toString);
        return jsonb.fromJson(status.out(), Map.class);
    }

    private static long executionId(String out) {
        Matcher m = STARTED.matcher(out);
        assertTrue(m.find(), "no 'started execution' line in:\n" + out);
        return Long.parseLong(m.group(1));
    }

    private Result cli(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        return run(command, cwd, env);
    }

    private static Result run(List<String> command, Path cwd, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        ProcessBuilder pb = builder(command, cwd, env);
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("did not finish: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static ProcessBuilder builder(List<String> command, Path cwd, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().put("LLM_BATCH_REPOSITORY",
                "jdbc:h2:file:" + tmp.resolve("repo") + ";AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1;WRITE_DELAY=0");
        pb.environment().put("LLM_BATCH_CLASSPATH", testClasses.toString());
        pb.environment().remove("LLM_BATCH_LOG_LEVEL");
        pb.environment().remove("LLM_BATCH_REPORT_HEAP");
        pb.environment().putAll(env);
        return pb;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    /** Bit 2 of SigIgn in /proc/self/status: SIGINT ignored, inherited by every child. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
