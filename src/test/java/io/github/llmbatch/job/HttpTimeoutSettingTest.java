package io.github.llmbatch.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Job parameter {@code httpTimeout}: 60 s unless given, a positive duration, free to change on a restart. */
class HttpTimeoutSettingTest {

    private static Properties with(String httpTimeout) {
        Properties p = new Properties();
        p.setProperty("input", "in.jsonl");
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "{{q}}");
        if (httpTimeout != null) {
            p.setProperty("httpTimeout", httpTimeout);
        }
        return p;
    }

    @Test
    void defaultsTo60sAndTakesADuration() {
        assertEquals(Duration.ofSeconds(60), JobSettings.from(with(null)).httpTimeout());
        assertEquals(Duration.ofMinutes(5), JobSettings.from(with("5m")).httpTimeout());
        for (String bad : new String[] {"0s", "soon", "-1s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobSettings.from(with(bad)));
            assertTrue(e.getMessage().contains("httpTimeout"), e.getMessage());
        }
    }

    @Test
    void isAKnownOperationalParameter() {
        JobParameter parameter = java.util.Arrays.stream(JobParameter.values())
                .filter(p -> p.parameterName().equals("httpTimeout")).findFirst().orElseThrow();
        assertFalse(parameter.fixed(), "a restart may change it");
    }
}
