package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmulatorMainTest {

    @Test
    void defaultsToPort8089OnLoopbackWithoutFaults() {
        EmulatorConfig config = EmulatorMain.parse(new String[0]);
        assertEquals(8089, config.port());
        assertEquals("127.0.0.1", config.host());
        assertEquals("", config.faults().spec());
        assertNull(config.storageDir());
    }

    @Test
    void readsEveryOption() {
        EmulatorConfig config = EmulatorMain.parse(new String[] {"--port", "0", "--faults", "create=429x1;retryAfter=1",
                "--host", "0.0.0.0", "--storage", "/tmp/emu"});
        assertEquals(0, config.port());
        assertEquals("create=429x1;retryAfter=1", config.faults().spec());
        assertEquals("0.0.0.0", config.host());
        assertEquals(Path.of("/tmp/emu"), config.storageDir());
    }

    @Test
    void rejectsBadArguments() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse(new String[] {"--port"}))
                .getMessage().contains("--port"));
        assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse(new String[] {"--port", "x"}));
        assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse(new String[] {"--port", "70000"}));
        assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse(new String[] {"--verbose", "1"}));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> EmulatorMain.parse(new String[] {"--faults", "nope=1"})).getMessage().contains("nope"));
    }
}
