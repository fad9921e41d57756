package io.github.llmbatch.request;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateTest {

    @Test
    void rendersFieldsBetweenLiterals() {
        Template t = Template.parse("Classify {{ subject }}: {{body}}!");
        assertEquals("Classify Login fails: It says {{x}}!",
                Rendering.userContent(t, "{\"subject\":\"Login fails\",\"body\":\"It says {{x}}\"}"),
                "a value is inserted as it is, never expanded again");
        assertEquals("Classify {{ subject }}: {{body}}!", t.toString());
        assertFalse(t.isConstant());
    }

    @Test
    void fieldNamesAreDistinctInOrderOfFirstUse() {
        Template t = Template.parse("{{b}} {{a}} {{b}} {{ c }}{{a}}");
        assertEquals(List.of("b", "a", "c"), new ArrayList<>(t.fieldNames()));
        assertEquals("2 1 2 31", Rendering.userContent(t, "{\"a\":1,\"b\":\"2\",\"c\":3}"));
    }

    @Test
    void placeholdersAtTheEdgesAndAdjacent() {
        Template t = Template.parse("{{a}}{{b}}");
        assertEquals("xy", Rendering.userContent(t, "{\"a\":\"x\",\"b\":\"y\"}"));
        assertEquals("", Rendering.userContent(t, "{\"a\":\"\",\"b\":\"\"}"), "empty values are values, not missing");
    }

    @Test
    void constantTemplateNeverLooksUpAField() {
        Template t = Template.parse("Just this } and { and }} text");
        assertTrue(t.isConstant());
        assertEquals(Set.of(), t.fieldNames());
        assertEquals("Just this } and { and }} text", Rendering.userContent(t, "{}"));
        assertEquals("", Rendering.userContent(Template.parse(null), "{}"));
    }

    @Test
    void missingFieldNamesTheFirstOneMissing() {
        Template t = Template.parse("{{a}} {{b}} {{c}}");
        Template.MissingFieldException e = assertThrows(Template.MissingFieldException.class,
                () -> Rendering.userContent(t, "{\"a\":1,\"b\":null}"));
        assertEquals("b", e.field());
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
    }

    @Test
    void unclosedOrEmptyPlaceholdersAreRefusedWithTheirPosition() {
        IllegalArgumentException unclosed = assertThrows(IllegalArgumentException.class,
                () -> Template.parse("Hello {{name} there"));
        assertTrue(unclosed.getMessage().contains("unclosed") && unclosed.getMessage().contains("6"),
                unclosed.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Template.parse("ab{{  }}"));
        assertTrue(empty.getMessage().contains("empty") && empty.getMessage().contains("2"), empty.getMessage());
    }

    @Test
    void unicodeInLiteralsAndValuesIsKept() {
        Template t = Template.parse("Übersetze \uD83D\uDE00 {{text}} →");
        assertEquals("Übersetze \uD83D\uDE00 «naïve» →", Rendering.userContent(t, "{\"text\":\"«naïve»\"}"));
        assertEquals("Übersetze \uD83D\uDE00 «naïve» →", Rendering.userContent(t, "{\"text\":\"\\u00abna\\u00efve\\u00bb\"}"),
                "escapes in the input stay valid escapes in the request");
    }
}
