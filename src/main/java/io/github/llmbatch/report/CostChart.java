package io.github.llmbatch.report;

import io.github.llmbatch.cost.Usd;
import java.math.BigDecimal;
import java.util.List;

/** Cost by attempt as inline SVG bars: each attempt's billed tokens at batch prices. */
final class CostChart {

    private CostChart() {
    }

    /** @param attempts the attempts with a cost (priced and billed); at least one */
    static void render(Markup m, List<AttemptView> attempts) {
        ChartFrame f = ChartFrame.STANDARD;
        BigDecimal max = attempts.stream().map(AttemptView::batchUsd).reduce(BigDecimal.ZERO, BigDecimal::max);
        double top = max.signum() == 0 ? 1 : max.doubleValue();
        f.open(m, "costByAttempt", "Cost by attempt at batch prices, largest " + Usd.format(max));
        f.label(m, f.left() - 6, f.top() + 4, "end", Usd.format(max));
        f.label(m, f.left() - 6, f.top() + f.plotHeight(), "end", "$0");
        double slot = (double) f.plotWidth() / attempts.size();
        double barWidth = Math.max(2, Math.min(48, slot * 0.7));
        for (int i = 0; i < attempts.size(); i++) {
            AttemptView a = attempts.get(i);
            double x = f.left() + slot * i + (slot - barWidth) / 2;
            double y = f.y(a.batchUsd().doubleValue(), top);
            double h = f.top() + f.plotHeight() - y;
            String name = "shard " + a.shard() + " attempt " + a.attempt();
            m.raw("<rect class=\"bar\" x=\"" + ChartFrame.num(x) + "\" y=\"" + ChartFrame.num(y) + "\" width=\""
                    + ChartFrame.num(barWidth) + "\" height=\"" + ChartFrame.num(h) + "\"")
                    .attr("data-shard", a.shard()).attr("data-attempt", a.attempt())
                    .attr("data-value", a.batchUsd().toPlainString()).raw("><title>")
                    .text(name + ": " + Usd.format(a.batchUsd())).raw("</title></rect>");
            if (attempts.size() <= 24) { // beyond that the labels would overlap; the table has them all
                f.label(m, x + barWidth / 2, f.height() - 24, "middle", a.shard() + "/" + a.attempt());
            }
        }
        f.label(m, f.left() + f.plotWidth() / 2.0, f.height() - 6, "middle", "shard/attempt");
        m.raw("</svg>");
    }
}
