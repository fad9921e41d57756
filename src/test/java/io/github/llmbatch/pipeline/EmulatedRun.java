package io.github.llmbatch.pipeline;

import io.github.llmbatch.cost.Tokenizer;
import io.github.llmbatch.emulator.EmulatorConfig;
import io.github.llmbatch.emulator.EmulatorServer;
import io.github.llmbatch.emulator.EmulatorTimings;
import io.github.llmbatch.emulator.FaultPlan;
import io.github.llmbatch.input.InputRecord;
import io.github.llmbatch.ledger.InstanceLock;
import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LedgerStore;
import io.github.llmbatch.provider.ProviderProfile;
import io.github.llmbatch.provider.openai.AuthStyle;
import io.github.llmbatch.provider.openai.OpenAiProfile;
import io.github.llmbatch.provider.openai.OpenAiProvider;
import io.github.llmbatch.request.Endpoint;
import io.github.llmbatch.request.RequestSpec;
import io.github.llmbatch.request.Template;
import io.github.llmbatch.shard.ShardFile;
import io.github.llmbatch.shard.ShardLimits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A job instance prepared by hand against a real in-process emulator: records {@code r-1..r-n}
 * written into shards by {@link PreparedWriter}, a ledger listing them, and the {@link RunContext}
 * that submit, poll, resolve and merge share. Emulator states last a few milliseconds.
 */
final class EmulatedRun implements AutoCloseable {

    static final String MODEL = "gpt-4o-mini";
    static final Duration POLL = Duration.ofMillis(10);

    final EmulatorServer server;
    final OpenAiProvider provider;
    final InstancePaths paths;
    final Ledger ledger;
    final RunContext run;
    private final InstanceLock lock;

    private EmulatedRun(EmulatorServer server, Path workDir, int records, long perShard, int maxAttempts,
                        ProviderProfile profile) throws IOException {
        this.server = server;
        this.provider = new OpenAiProvider(server.baseUrl().toString(), "test-key", AuthStyle.BEARER);
        this.paths = InstancePaths.of(workDir, 7);
        LedgerStore store = paths.ledgerStore();
        this.ledger = store.readOrCreate(7);
        ledger.provider = profile.name();
        ledger.endpoint = profile.endpointName(Endpoint.CHAT_COMPLETIONS);
        ledger.model = MODEL;
        prepare(records, perShard, profile);
        store.write(ledger);
        this.lock = InstanceLock.acquire(paths.dir(), "test execution");
        this.run = new RunContext(paths, ledger, store, lock, provider, profile, ledger.endpoint, MODEL, POLL,
                maxAttempts, Clock.systemUTC());
    }

    /**
     * @param faults    the emulator's fault plan spec
     * @param records   how many records, ids {@code r-1..r-n}
     * @param perShard  requests per shard
     */
    static EmulatedRun start(Path workDir, String faults, int records, long perShard, int maxAttempts)
            throws IOException {
        return start(workDir, faults, records, perShard, maxAttempts, new OpenAiProfile());
    }

    /** @param profile how requests are written, read back and classified (the emulator speaks OpenAI's protocol) */
    static EmulatedRun start(Path workDir, String faults, int records, long perShard, int maxAttempts,
                             ProviderProfile profile) throws IOException {
        EmulatorServer server = EmulatorServer.start(EmulatorConfig.defaults()
                .withFaults(FaultPlan.parse(faults))
                .withTimings(EmulatorTimings.defaults().withValidatingMs(5).withInProgressMs(10)
                        .withFinalizingMs(5).withCancellingMs(5)));
        try {
            return new EmulatedRun(server, workDir, records, perShard, maxAttempts, profile);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    static String recordJson(int i) {
        return "{\"id\":\"r-" + i + "\",\"name\":\"item " + i + "\",\"n\":" + i + "}";
    }

    private void prepare(int records, long perShard, ProviderProfile profile) throws IOException {
        RequestSpec spec = new RequestSpec(Endpoint.CHAT_COMPLETIONS, MODEL, null, Template.parse("About {{name}}"),
                null, null);
        ShardLimits limits = new ShardLimits(perShard, profile.limits().bytes(), profile.limits().embeddingInputs());
        RecordPreparer preparer = new RecordPreparer(spec, "id", profile, limits);
        List<ShardFile> shards;
        try (PreparedWriter writer = new PreparedWriter(paths.shardsDir(), paths.dir().resolve("rejects.jsonl"),
                limits, Tokenizer.forModel(MODEL), PrepareCheckpoint.start())) {
            List<Prepared> items = new ArrayList<>();
            for (int i = 1; i <= records; i++) {
                byte[] b = recordJson(i).getBytes(StandardCharsets.UTF_8);
                items.add(preparer.prepare(new InputRecord(i, b, 0, b.length), writer::addFieldName));
            }
            writer.write(items);
            shards = writer.finish();
            ledger.recordFields = writer.fieldNames();
        }
        for (ShardFile f : shards) {
            Ledger.Shard s = new Ledger.Shard();
            s.index = f.index();
            s.requestsFile = f.requestsFile();
            s.recordsFile = f.recordsFile();
            s.requests = f.requests();
            s.bytes = f.bytes();
            s.sha256 = f.sha256();
            ledger.shards.add(s);
        }
        Ledger.PrepareSummary summary = new Ledger.PrepareSummary();
        summary.inputRecords = records;
        summary.requests = records;
        ledger.prepare = summary;
    }

    /** A fresh first attempt of a shard, added to the ledger and saved (what Submission does). */
    Ledger.Attempt firstAttempt(int shardIndex) {
        Ledger.Shard shard = ledger.shards.get(shardIndex - 1);
        Ledger.Attempt a = AttemptPlan.attempt(ledger, shard.index, 1, Path.of(shard.requestsFile), shard.requests, shard.bytes,
                shard.sha256);
        ledger.attempts.add(a);
        run.save();
        return a;
    }

    /** Submits every shard and polls until every request has an outcome. */
    void runToEnd() throws IOException {
        StopSignal never = new StopSignal();
        if (!new Submission(run).submitAll(never)) {
            throw new AssertionError("submit stopped");
        }
        if (!new BatchPoller(run, s -> { }).pollUntilDone(never)) {
            throw new AssertionError("poll stopped");
        }
    }

    /** The instance lock this run holds, as an execution does. */
    InstanceLock lock() {
        return lock;
    }

    /** The ledger as it is on disk now. */
    Ledger saved() {
        return paths.ledgerStore().read().orElseThrow();
    }

    @Override
    public void close() {
        lock.close();
        provider.close();
        server.close();
    }
}
