package io.github.llmbatch.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of a report page, as a script would read them: every element's {@code data-figure}
 * name with its {@code data-value} (attribute order as the generator writes it, and as Chromium's
 * DOM dump keeps it), unescaped.
 */
public record PageFigures(Map<String, List<String>> byName) {

    private static final Pattern FIGURE = Pattern.compile("data-figure=\"([^\"]*)\" data-value=\"([^\"]*)\"");

    public static PageFigures of(String html) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        Matcher m = FIGURE.matcher(html);
        while (m.find()) {
            all.computeIfAbsent(unescape(m.group(1)), k -> new ArrayList<>()).add(unescape(m.group(2)));
        }
        return new PageFigures(all);
    }

    /** The one value of a figure; fails when the page has none or several. */
    public String value(String name) {
        List<String> values = byName.get(name);
        if (values == null || values.size() != 1) {
            throw new AssertionError("figure " + name + ": " + values + " on the page (figures: " + byName.keySet() + ")");
        }
        return values.get(0);
    }

    public List<String> values(String name) {
        return byName.getOrDefault(name, List.of());
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
