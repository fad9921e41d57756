package io.github.llmbatch.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CancelCommandTest {

    @Test
    void takesOneExecutionId() throws Exception {
        assertEquals(7, CancelCommand.parse(List.of("7")));
        assertThrows(UsageException.class, () -> CancelCommand.parse(List.of()));
        assertThrows(UsageException.class, () -> CancelCommand.parse(List.of("7", "8")));
        assertThrows(UsageException.class, () -> CancelCommand.parse(List.of("seven")));
        assertThrows(UsageException.class, () -> CancelCommand.parse(List.of("7", "--force")));
    }
}
