package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code reset} drops a call without an answer, {@code hang} holds it; both then serve normally. */
class ResetAndHangFaultsTest {

    private EmulatorServer emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void resetClosesTheConnectionUnansweredAndHangAnswersNothing() throws Exception {
        emulator = EmulatorServer.start(EmulatorConfig.defaults().withFaults(FaultPlan.parse("create=resetx1;files=hang")));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        // a POST: the JDK client resends a GET once by itself when its connection closes unanswered
        IOException reset = assertThrows(IOException.class, () -> http.send(create(), HttpResponse.BodyHandlers.ofString()));
        assertTrue(!(reset instanceof HttpTimeoutException), reset.toString());
        assertEquals(400, http.send(create(), HttpResponse.BodyHandlers.ofString()).statusCode(), "served again");

        assertThrows(HttpTimeoutException.class, () -> http.send(get("/files"), HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, http.send(get("/files"), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void resetAndHangAreStatusesOfThePlan() {
        FaultPlan.parse("upload=reset;uploadLost=hangx2,500;retrieve=HANG");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse("create=sleep"));
        assertTrue(bad.getMessage().contains("reset or hang"), bad.getMessage());
    }

    private HttpRequest create() {
        return HttpRequest.newBuilder(java.net.URI.create(emulator.baseUrl() + "/batches")).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer k").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(java.net.URI.create(emulator.baseUrl() + path)).timeout(Duration.ofSeconds(1))
                .header("Authorization", "Bearer k").GET().build();
    }
}
