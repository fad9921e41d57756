package io.github.llmbatch.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How an amount of USD is written for people, everywhere (dry run, status, progress, exit summary,
 * run report): cents from a dollar up, six decimals below it; "unknown" for an amount the price
 * table cannot give. Figures are computed exactly and rounded only here.
 */
public final class Usd {

    private static final BigDecimal SMALLEST = new BigDecimal("0.0000005");

    private Usd() {
    }

    /** {@code $12.35}, {@code $0.000612}, {@code < $0.000001}; {@code unknown} for null. */
    public static String format(BigDecimal usd) {
        if (usd == null) {
            return "unknown";
        }
        if (usd.signum() > 0 && usd.compareTo(SMALLEST) < 0) {
            return "< $0.000001";
        }
        BigDecimal shown = usd.abs().compareTo(BigDecimal.ONE) >= 0
                ? usd.setScale(2, RoundingMode.HALF_UP)
                : usd.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        if (shown.scale() < 2) {
            shown = shown.setScale(2, RoundingMode.UNNECESSARY);
        }
        return "$" + shown.toPlainString();
    }
}
