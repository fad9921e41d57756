package io.github.llmbatch.provider.openai;

import io.github.llmbatch.emulator.EmulatorConfig;
import io.github.llmbatch.emulator.EmulatorServer;
import io.github.llmbatch.emulator.FaultPlan;
import io.github.llmbatch.provider.HttpTimeouts;
import io.github.llmbatch.provider.HttpTransport;
import io.github.llmbatch.provider.RemoteFile;
import io.github.llmbatch.provider.RetryPolicy;
import io.github.llmbatch.provider.StopRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An upload whose answer is lost after the emulator stored the file (a 5xx, a reset connection, a
 * timeout) is found by name on the retry, not uploaded a second time.
 */
class LostUploadTest {

    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(5));

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"uploadLost=500x1", "uploadLost=502x1,500x1", "uploadLost=reset"})
    void aRetriedUploadFindsTheFileItsLostAnswerStored(String faults) throws Exception {
        try (EmulatorServer emulator = EmulatorServer.start(EmulatorConfig.defaults().withFaults(FaultPlan.parse(faults)))) {
            OpenAiProvider provider = new OpenAiProvider(emulator.baseUrl().toString(), "k", AuthStyle.BEARER,
                    new HttpTransport(QUICK, HttpTimeouts.DEFAULT, StopRequest.NEVER));
            RemoteFile file = provider.upload(shard(), "llm-batch-k1.jsonl");

            assertEquals(1, storedFiles(emulator), "the provider holds one copy");
            assertEquals(file.id(), provider.findUploadedFile("llm-batch-k1.jsonl").orElseThrow().id());
            assertEquals(Files.size(shard()), file.bytes());
        }
    }

    @Test
    void anUploadTimedOutAfterTheFileWasStoredIsFoundToo() throws Exception {
        try (EmulatorServer emulator = EmulatorServer.start(EmulatorConfig.defaults()
                .withFaults(FaultPlan.parse("uploadLost=hang")))) {
            OpenAiProvider provider = new OpenAiProvider(emulator.baseUrl().toString(), "k", AuthStyle.BEARER,
                    new HttpTransport(QUICK, HttpTimeouts.of(Duration.ofSeconds(1)), StopRequest.NEVER));
            RemoteFile file = provider.upload(shard(), "llm-batch-k2.jsonl");

            assertEquals(1, storedFiles(emulator));
            assertEquals("llm-batch-k2.jsonl", file.fileName());
        }
    }

    @Test
    void aFileOfTheSameNameButAnotherSizeIsNotTakenForIt() throws Exception {
        try (EmulatorServer emulator = EmulatorServer.start(EmulatorConfig.defaults()
                .withFaults(FaultPlan.parse("uploadLost=500x1")))) {
            OpenAiProvider provider = new OpenAiProvider(emulator.baseUrl().toString(), "k", AuthStyle.BEARER,
                    new HttpTransport(QUICK, HttpTimeouts.DEFAULT, StopRequest.NEVER));
            Path other = dir.resolve("other.jsonl");
            Files.writeString(other, "{}\n");
            // the lost answer stores this one; the retry must not mistake it for the shard
            provider.upload(other, "llm-batch-k3.jsonl");
            RemoteFile file = provider.upload(shard(), "llm-batch-k3.jsonl");

            assertEquals(Files.size(shard()), file.bytes());
            assertEquals(2, storedFiles(emulator));
        }
    }

    private Path shard() throws Exception {
        Path shard = dir.resolve("shard.jsonl");
        if (!Files.exists(shard)) {
            Files.writeString(shard, "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}\n");
        }
        return shard;
    }

    /** Files the emulator stored. */
    static long storedFiles(EmulatorServer emulator) {
        return emulator.stats().filesUploaded();
    }
}
