package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EmbeddedEmulatorTest {

    @Test
    void oneRunningEmulatorPerFaultSpec() {
        EmulatorServer first = EmbeddedEmulator.shared("validatingMs=1111");
        EmulatorServer second = null;
        try {
            assertSame(first, EmbeddedEmulator.shared(" validatingMs=1111 "));
            second = EmbeddedEmulator.shared("validatingMs=2222");
            assertNotSame(first, second);
            assertTrue(first.baseUrl().toString().matches("http://127\\.0\\.0\\.1:\\d+/v1"), first.baseUrl().toString());
            assertEquals(200, new TestClient(first.baseUrl()).get("/batches").status());

            first.close();
            EmulatorServer restarted = EmbeddedEmulator.shared("validatingMs=1111");
            assertNotSame(first, restarted, "a closed emulator is replaced");
            restarted.close();
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void rejectsABadSpec() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedEmulator.shared("bogus=1"));
    }

    @Test
    void neverKeepsTheJvmAlive() {
        try (EmulatorServer server = EmbeddedEmulator.shared("validatingMs=3333")) {
            new TestClient(server.baseUrl()).get("/files");
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("HTTP-Dispatcher") || thread.getName().startsWith("llm-batch-emulator")) {
                    assertTrue(thread.isDaemon(), thread.getName() + " is not a daemon thread");
                }
            }
        }
    }
}
