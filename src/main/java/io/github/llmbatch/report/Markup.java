package io.github.llmbatch.report;

/**
 * HTML written by hand (no template library: the page is small and its dependencies would be the
 * program's). Everything that is not a literal of this package goes through {@link #text} or
 * {@link #attr}, which escape it: record fields, ids, paths, provider messages are untrusted.
 */
final class Markup {

    private final StringBuilder out = new StringBuilder(16_384);

    /** Markup this package wrote itself; never data. */
    Markup raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Text content, escaped. */
    Markup text(Object value) {
        out.append(escape(String.valueOf(value)));
        return this;
    }

    /** {@code name="value"} with a leading space, the value escaped. */
    Markup attr(String name, Object value) {
        out.append(' ').append(name).append("=\"").append(escape(String.valueOf(value))).append('"');
        return this;
    }

    /** An element with escaped text: {@code <tag class="cls">text</tag>}. */
    Markup element(String tag, String cssClass, Object value) {
        out.append('<').append(tag);
        if (cssClass != null) {
            attr("class", cssClass);
        }
        out.append('>');
        text(value);
        out.append("</").append(tag).append('>');
        return this;
    }

    /**
     * A figure that scripts and tests read: {@code data-figure} names it as {@code status --json}
     * does, {@code data-value} holds the exact value ({@code null} when unknown), the text is for people.
     */
    Markup figure(String name, Object exact, String shown) {
        out.append("<span class=\"fig\"");
        attr("data-figure", name);
        attr("data-value", exact == null ? "null" : exact);
        out.append('>');
        text(shown);
        out.append("</span>");
        return this;
    }

    /** Escapes the five characters that can end text or an attribute value. */
    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
