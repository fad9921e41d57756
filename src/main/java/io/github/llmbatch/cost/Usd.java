package io.github.llmbatch.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How an amount of USD is written for people: cents from a dollar up, six decimals below it. */
public final class Usd {

    private Usd() {
    }

    /** {@code $12.35}, {@code $0.000612}; figures are computed exactly and rounded only here. */
    public static String format(BigDecimal usd) {
        BigDecimal shown = usd.abs().compareTo(BigDecimal.ONE) >= 0
                ? usd.setScale(2, RoundingMode.HALF_UP)
                : usd.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        if (shown.scale() < 2) {
            shown = shown.setScale(2, RoundingMode.UNNECESSARY);
        }
        return "$" + shown.toPlainString();
    }
}
