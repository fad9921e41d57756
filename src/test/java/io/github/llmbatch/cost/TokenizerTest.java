package io.github.llmbatch.cost;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerTest {

    @Test
    void openAiModelsAreCountedWithTheirOwnEncoding() {
        for (String model : new String[] {"gpt-4o-mini", "gpt-4o-2024-08-06", "gpt-4.1-nano", "gpt-5-mini", "o3-mini",
                "o4-mini", "o1"}) {
            Tokenizer t = Tokenizer.forModel(model);
            assertEquals("o200k_base", t.encoding(), model);
            assertTrue(t.exact(), model);
        }
        for (String model : new String[] {"gpt-4", "gpt-4-turbo", "gpt-3.5-turbo", "gpt-35-turbo",
                "text-embedding-3-small", "text-embedding-ada-002"}) {
            Tokenizer t = Tokenizer.forModel(model);
            assertEquals("cl100k_base", t.encoding(), model);
            assertTrue(t.exact(), model);
        }
    }

    @Test
    void otherModelsAreApproximatedWithO200k() {
        for (String model : new String[] {"claude-haiku-4-5", "gemini-2.5-flash", "models/gemini-2.0-flash",
                "my-azure-deployment"}) {
            Tokenizer t = Tokenizer.forModel(model);
            assertEquals("o200k_base", t.encoding(), model);
            assertFalse(t.exact(), model);
        }
    }

    @Test
    void countsOrdinaryText() {
        Tokenizer o200k = Tokenizer.forModel("gpt-4o");
        assertEquals(0, o200k.count(""));
        assertEquals(1, o200k.count("hello"));
        // a special token's text in content is billed as ordinary text, not as one special token
        assertTrue(o200k.count("<|endoftext|>") > 1);
        // the two encodings differ: the same text is not the same count
        String text = "Wahrscheinlichkeitsrechnung und Quantenchromodynamik";
        assertTrue(o200k.count(text) != Tokenizer.forModel("gpt-4").count(text));
    }
}
