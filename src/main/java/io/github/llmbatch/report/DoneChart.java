package io.github.llmbatch.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Requests done over time as an inline SVG step line: the requests each attempt settled, added up
 * at the time its results were resolved, from zero at the first upload.
 */
final class DoneChart {

    /** One step of the line: at this time, this many requests had a final outcome. */
    record Point(Instant at, long done) {
    }

    private DoneChart() {
    }

    /** The steps; empty when some resolved attempt has no resolution time (a ledger older than the times). */
    static List<Point> points(List<AttemptView> attempts) {
        List<AttemptView> resolved = new ArrayList<>();
        Instant start = null;
        for (AttemptView a : attempts) {
            if (a.resolved()) {
                if (a.resolvedAt() == null) {
                    return List.of();
                }
                resolved.add(a);
            }
            Instant first = a.started() != null ? a.started() : a.created();
            if (first != null && (start == null || first.isBefore(start))) {
                start = first;
            }
        }
        if (resolved.isEmpty()) {
            return List.of();
        }
        resolved.sort(Comparator.comparing(AttemptView::resolvedAt));
        List<Point> points = new ArrayList<>();
        Instant first = resolved.get(0).resolvedAt();
        points.add(new Point(start != null && start.isBefore(first) ? start : first, 0));
        long done = 0;
        for (AttemptView a : resolved) {
            done += a.settled();
            points.add(new Point(a.resolvedAt(), done));
        }
        return points;
    }

    static void render(Markup m, List<Point> points, long total) {
        ChartFrame f = ChartFrame.STANDARD;
        Point last = points.get(points.size() - 1);
        Instant t0 = points.get(0).at();
        long span = Math.max(1, Duration.between(t0, last.at()).toMillis());
        long max = Math.max(1, Math.max(total, last.done()));
        f.open(m, "requestsDone", "Requests done over time: " + last.done() + " of " + total);
        f.label(m, f.left() - 6, f.top() + 4, "end", String.valueOf(max));
        f.label(m, f.left() - 6, f.top() + f.plotHeight(), "end", "0");
        f.label(m, f.left(), f.height() - 24, "start", RunReport.time(t0));
        f.label(m, f.width() - f.right(), f.height() - 24, "end",
                "+" + RunReport.duration(Duration.between(t0, last.at())));
        f.label(m, f.left() + f.plotWidth() / 2.0, f.height() - 6, "middle", "time (UTC)");
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            String x = ChartFrame.num(f.left() + f.plotWidth() * (double) Duration.between(t0, p.at()).toMillis() / span);
            String y = ChartFrame.num(f.y(p.done(), max));
            // a step: the count rises when an attempt is resolved, not before
            path.append(i == 0 ? "M" + x + " " + y : " H" + x + " V" + y);
        }
        m.raw("<path class=\"line\" d=\"" + path + "\"/>");
        for (Point p : points) {
            double x = f.left() + f.plotWidth() * (double) Duration.between(t0, p.at()).toMillis() / span;
            m.raw("<circle class=\"dot\" r=\"3\" cx=\"" + ChartFrame.num(x) + "\" cy=\""
                    + ChartFrame.num(f.y(p.done(), max)) + "\"").attr("data-done", p.done()).raw("><title>")
                    .text(RunReport.time(p.at()) + ": " + p.done() + " done").raw("</title></circle>");
        }
        // under the line's end, which is at the top once every request is done
        double lastY = f.y(last.done(), max);
        f.label(m, f.width() - f.right(), lastY + 16 < f.top() + f.plotHeight() ? lastY + 16 : lastY - 8, "end",
                last.done() + " done");
        m.raw("</svg>");
    }
}
