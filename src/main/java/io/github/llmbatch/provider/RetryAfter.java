package io.github.llmbatch.provider;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The wait a server asks for: {@code retry-after-ms} (milliseconds, may be fractional) wins over
 * {@code Retry-After} (whole seconds or an HTTP date). Unparseable values are ignored.
 */
final class RetryAfter {

    private RetryAfter() {
    }

    static Optional<Duration> of(HttpHeaders headers, Clock clock) {
        Optional<String> millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                double ms = Double.parseDouble(millis.get().trim());
                if (Double.isFinite(ms)) {
                    return Optional.of(Duration.ofNanos(Math.round(ms * 1_000_000d)));
                }
            } catch (NumberFormatException ignored) {
                // fall back to Retry-After
            }
        }
        Optional<String> value = headers.firstValue("retry-after");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get().trim();
        try {
            double seconds = Double.parseDouble(text);
            if (Double.isFinite(seconds)) {
                return Optional.of(Duration.ofMillis(Math.round(seconds * 1000d)));
            }
            return Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(Duration.between(clock.instant(), at));
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
