package io.github.llmbatch.pipeline;

import io.github.llmbatch.provider.MalformedAnswerException;
import io.github.llmbatch.provider.ScriptedServer;
import io.github.llmbatch.provider.ScriptedServer.Reply;
import io.github.llmbatch.provider.openai.AuthStyle;
import io.github.llmbatch.provider.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A status answer that is not JSON ends the poll at once with what it is, instead of being taken
 * for an outage and polled "unreachable" forever; the batches stay recorded for a restart.
 */
class MalformedStatusTest {

    @TempDir
    Path dir;

    @Test
    void aStatusAnswerThatIsNotJsonFailsThePollNamingTheCall() throws Exception {
        try (EmulatedRun e = EmulatedRun.start(dir, "", 4, 2, 3);
             ScriptedServer proxyPage = ScriptedServer.sequence(Reply.json(200, "<html><body>Sign in to the Wi-Fi</body></html>"))) {
            assertTrue(new Submission(e.run).submitAll(new StopSignal()));
            String batchId = e.ledger.attempt(1, 1).orElseThrow().batchId;
            RunContext elsewhere = new RunContext(e.paths, e.ledger, e.paths.ledgerStore(), e.run.fence(),
                    new OpenAiProvider(proxyPage.uri("/v1").toString(), "k", AuthStyle.BEARER), e.run.profile(), e.run.endpoint(),
                    e.run.model(), EmulatedRun.POLL, 3, e.run.clock());

            MalformedAnswerException failure = assertThrows(MalformedAnswerException.class,
                    () -> new BatchPoller(elsewhere, s -> { }).pollUntilDone(new StopSignal()));

            assertTrue(failure.getMessage().startsWith("malformed answer from GET /v1/batches/" + batchId
                    + ": Unexpected character ('<'"), failure.getMessage());
            assertEquals(1, proxyPage.received().size(), "failed at the first answer, not retried");
            assertEquals(batchId, e.saved().attempt(1, 1).orElseThrow().batchId, "the batch stays recorded");
        }
    }

    @Test
    void jsonOfTheWrongShapeIsMalformedToo() throws Exception {
        try (ScriptedServer server = ScriptedServer.sequence(Reply.json(200, "{\"object\":\"list\",\"data\":[]}"))) {
            OpenAiProvider provider = new OpenAiProvider(server.uri("/v1").toString(), "k", AuthStyle.BEARER);
            MalformedAnswerException failure = assertThrows(MalformedAnswerException.class, () -> provider.getBatch("b1"));
            assertEquals("malformed answer from GET /v1/batches/b1: batch object without an id", failure.getMessage());
        }
    }
}
