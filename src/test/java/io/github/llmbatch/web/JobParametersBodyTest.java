package io.github.llmbatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

class JobParametersBodyTest {

    @Test
    void numbersAndBooleansBecomeTheirJsonText() {
        Properties p = JobParametersBody.parse("{\"maxTokens\": 256, \"temperature\": 0.5, \"dryRun\": true,"
                + " \"model\": \"gpt-4o-mini\"}");

        assertEquals("256", p.getProperty("maxTokens"));
        assertEquals("0.5", p.getProperty("temperature"));
        assertEquals("true", p.getProperty("dryRun"));
        assertEquals("gpt-4o-mini", p.getProperty("model"));
        assertEquals(4, p.size());
    }

    @Test
    void nullLeavesAParameterOut() {
        Properties p = JobParametersBody.parse("{\"systemPrompt\": null, \"model\": \"m\"}");

        assertEquals(Set.of("model"), p.stringPropertyNames());
    }

    @Test
    void anEmptyBodyOrObjectIsNoParameters() {
        assertTrue(JobParametersBody.parse("").isEmpty());
        assertTrue(JobParametersBody.parse(null).isEmpty());
        assertTrue(JobParametersBody.parse(" {} ").isEmpty());
    }

    @Test
    void objectsArraysAndNonObjectsAreRefusedNamingTheParameter() {
        InvalidRequestException nested = assertThrows(InvalidRequestException.class,
                () -> JobParametersBody.parse("{\"model\": \"m\", \"input\": {\"path\": \"x\"}}"));
        InvalidRequestException array = assertThrows(InvalidRequestException.class,
                () -> JobParametersBody.parse("[\"model\"]"));
        InvalidRequestException broken = assertThrows(InvalidRequestException.class,
                () -> JobParametersBody.parse("{\"model\": "));

        assertTrue(nested.getMessage().contains("'input' is a JSON object"), nested.getMessage());
        assertTrue(array.getMessage().contains("must be a JSON object, not array"), array.getMessage());
        assertTrue(broken.getMessage().startsWith("the body is not JSON"), broken.getMessage());
    }

}
