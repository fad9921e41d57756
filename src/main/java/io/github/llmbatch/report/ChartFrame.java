package io.github.llmbatch.report;

import java.util.Locale;

/** The geometry both charts share: an SVG viewBox and the plot area inside its margins. */
record ChartFrame(int width, int height, int left, int right, int top, int bottom) {

    static final ChartFrame STANDARD = new ChartFrame(640, 220, 72, 16, 20, 44);

    int plotWidth() {
        return width - left - right;
    }

    int plotHeight() {
        return height - top - bottom;
    }

    /** y of a value between 0 and max, 0 at the bottom of the plot. */
    double y(double value, double max) {
        return top + plotHeight() - plotHeight() * value / max;
    }

    /** Opens the SVG element with its accessible title; the caller closes it. */
    void open(Markup m, String chart, String title) {
        m.raw("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + width + " " + height
                + "\" xmlns=\"http://www.w3.org/2000/svg\"").attr("data-chart", chart).raw("><title>").text(title)
                .raw("</title>");
        m.raw("<line class=\"axis\" x1=\"" + left + "\" y1=\"" + top + "\" x2=\"" + left + "\" y2=\""
                + (top + plotHeight()) + "\"/>");
        m.raw("<line class=\"axis\" x1=\"" + left + "\" y1=\"" + (top + plotHeight()) + "\" x2=\""
                + (left + plotWidth()) + "\" y2=\"" + (top + plotHeight()) + "\"/>");
    }

    /** A label; {@code anchor} is start, middle or end. */
    void label(Markup m, double x, double y, String anchor, String text) {
        m.raw("<text class=\"lbl\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\">")
                .text(text).raw("</text>");
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
