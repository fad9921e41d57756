package io.github.llmbatch.job;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unknown parameter names are refused, with the name meant or, for a secret, where it belongs. */
class ParameterNamesTest {

    private static Properties minimal(String... kv) {
        Properties p = new Properties();
        p.setProperty("input", "data/tickets.jsonl");
        p.setProperty("model", "gpt-4o-mini");
        p.setProperty("userTemplate", "Classify {{subject}}");
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static String refusal(String... kv) {
        return assertThrows(IllegalArgumentException.class, () -> JobSettings.from(minimal(kv))).getMessage();
    }

    @Test
    void aMisspeltNameIsRefusedWithTheNameMeant() {
        assertEquals("unknown job parameter 'maxToken': did you mean maxTokens?", refusal("maxToken", "5"));
        assertEquals("unknown job parameter 'temprature': did you mean temperature?", refusal("temprature", "0.2"));
        assertEquals("unknown job parameter 'userTemplat': did you mean userTemplate?", refusal("userTemplat", "x"));
        assertEquals("unknown job parameter 'dryrun': did you mean dryRun?", refusal("dryrun", "true"));
        assertEquals("unknown job parameter 'modl': did you mean model?", refusal("modl", "m"));
    }

    @Test
    void aNameLikeNoneIsRefusedListingTheKnownOnes() {
        String message = refusal("colour", "blue");
        assertTrue(message.startsWith("unknown job parameter 'colour'; the known ones are input, inputFormat, "),
                message);
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertEquals("unknown job parameter 'maxToken': did you mean maxTokens?;"
                        + " unknown job parameter 'pollIntervall': did you mean pollInterval?",
                refusal("pollIntervall", "1s", "maxToken", "5"));
    }

    @Test
    void aNameThatLooksLikeASecretIsRefusedPointingAtApiKeyEnvWithoutItsValue() {
        for (String name : List.of("apiKey", "api_key", "OPENAI_API_KEY", "key", "password", "dbPassword",
                "clientSecret", "token", "accessToken")) {
            String message = refusal(name, "sk-do-not-print-me");
            assertTrue(message.startsWith("job parameter '" + name + "' looks like a secret"), message);
            assertTrue(message.contains("apiKeyEnv"), message);
            assertFalse(message.contains("sk-do-not-print-me"), message);
        }
    }

    @Test
    void knownNamesAndTheRuntimesOwnPass() {
        JobSettings s = JobSettings.from(minimal("maxTokens", "5", "apiKeyEnv", "MY_KEY",
                "jberet.restart.mode", "force", "jberet.local-tx", "true"));
        assertEquals(5, s.maxTokens());
    }

    @Test
    void closestAllowsOneEditInShortNamesAndTwoInLongerOnes() {
        assertEquals("model", ParameterNames.closest("mdel"));
        assertEquals(null, ParameterNames.closest("mo"));
        assertEquals("maxAttempts", ParameterNames.closest("maxAtempt"));
        assertEquals(null, ParameterNames.closest("maxAtemp"));
        assertEquals(3, ParameterNames.editDistance("kitten", "sitting"));
        assertEquals(0, ParameterNames.editDistance("", ""));
    }

    /** The job XML passes each parameter on by name; one missing there would never reach the job. */
    @Test
    void theJobXmlPassesOnExactlyTheKnownParameters() throws Exception {
        List<String> inXml = new ArrayList<>();
        try (InputStream xml = getClass().getResourceAsStream("/META-INF/batch-jobs/llm-batch.xml")) {
            NodeList properties = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml)
                    .getDocumentElement().getElementsByTagName("properties").item(0).getChildNodes();
            for (int i = 0; i < properties.getLength(); i++) {
                if (properties.item(i) instanceof Element property) {
                    String name = property.getAttribute("name");
                    assertEquals("#{jobParameters['" + name + "']}", property.getAttribute("value"), name);
                    inXml.add(name);
                }
            }
        }
        assertEquals(JobParameter.names(), inXml);
    }
}
