package io.github.llmbatch.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentsTest {

    @Test
    void separatesPositionalsFlagsAndRepeatedValues() throws Exception {
        Arguments a = Arguments.parse(List.of("job.properties", "-p", "a=1", "--json", "-p", "b=2", "--port=8080"),
                Set.of("-p", "--port"), Set.of("--json"));
        assertEquals(List.of("job.properties"), a.positionals());
        assertEquals(List.of("a=1", "b=2"), a.values("-p"));
        assertEquals("8080", a.value("--port").orElseThrow());
        assertTrue(a.flag("--json"));
        assertFalse(a.flag("--all"));
    }

    @Test
    void valueMayStartWithADashAndContainEquals() throws Exception {
        Arguments a = Arguments.parse(List.of("-p", "-x=y=z"), Set.of("-p"), Set.of());
        assertEquals(List.of("-x=y=z"), a.values("-p"));
    }

    @Test
    void doubleDashEndsOptions() throws Exception {
        Arguments a = Arguments.parse(List.of("--", "--json"), Set.of(), Set.of("--json"));
        assertEquals(List.of("--json"), a.positionals());
        assertFalse(a.flag("--json"));
    }

    @Test
    void rejectsUnknownOptionsAndMissingValues() {
        UsageException unknown = assertThrows(UsageException.class,
                () -> Arguments.parse(List.of("--verbose"), Set.of(), Set.of("--json")));
        assertTrue(unknown.getMessage().contains("--verbose"));
        assertThrows(UsageException.class, () -> Arguments.parse(List.of("-p"), Set.of("-p"), Set.of()));
        assertThrows(UsageException.class, () -> Arguments.parse(List.of("--json=yes"), Set.of(), Set.of("--json")));
    }

    @Test
    void countsPositionals() throws Exception {
        Arguments none = Arguments.parse(List.of(), Set.of(), Set.of());
        assertThrows(UsageException.class, () -> none.positionals("run", 1, 1));
        Arguments two = Arguments.parse(List.of("a", "b"), Set.of(), Set.of());
        UsageException e = assertThrows(UsageException.class, () -> two.positionals("run", 1, 1));
        assertTrue(e.getMessage().contains("b"));
    }

    @Test
    void executionIdsArePositiveNumbers() throws Exception {
        assertEquals(42L, Arguments.executionId("status", "42"));
        assertThrows(UsageException.class, () -> Arguments.executionId("status", "0"));
        assertThrows(UsageException.class, () -> Arguments.executionId("status", "-3"));
        assertThrows(UsageException.class, () -> Arguments.executionId("status", "abc"));
    }
}
