package io.github.llmbatch.request;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestSpecTest {

    private static RequestSpec withSystem(Template system) {
        return new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", system, Template.parse("{{q}}"), null, null);
    }

    @Test
    void requestSpecNeedsModelAndUserTemplate() {
        assertThrows(IllegalArgumentException.class,
                () -> new RequestSpec(Endpoint.CHAT_COMPLETIONS, " ", null, Template.parse("x"), null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new RequestSpec(Endpoint.CHAT_COMPLETIONS, "m", null, null, null, null));
    }

    @Test
    void anEmptySystemPromptIsNone() {
        assertFalse(withSystem(null).hasSystemPrompt());
        assertFalse(withSystem(Template.parse("")).hasSystemPrompt());
        assertTrue(withSystem(Template.parse(" ")).hasSystemPrompt());
        assertTrue(withSystem(Template.parse("{{s}}")).hasSystemPrompt(), "even if it may render empty");
    }
}
