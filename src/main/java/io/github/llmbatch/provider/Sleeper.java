package io.github.llmbatch.provider;

import java.time.Duration;

/** Waits between retries; a seam so tests can record waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
