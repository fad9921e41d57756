package io.github.llmbatch.cli.testjob;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sleeps {@code sleepSeconds} in small steps, ending early when stopped; fails when {@code fail}
 * is true. Creates {@code workDir/sleeping} when it begins so a test knows the step runs.
 */
@Dependent
@Named("cliTestSleepBatchlet")
public class SleepBatchlet extends AbstractBatchlet {

    @Inject
    @BatchProperty
    String sleepSeconds;

    @Inject
    @BatchProperty
    String fail;

    @Inject
    @BatchProperty
    String workDir;

    private volatile boolean stopped;

    @Override
    public String process() throws Exception {
        Files.createDirectories(Path.of(workDir));
        Files.writeString(Path.of(workDir, "sleeping"), "");
        long end = System.nanoTime() + (long) (Double.parseDouble(sleepSeconds) * 1e9);
        while (!stopped && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        if (stopped) {
            return "STOPPED";
        }
        if (Boolean.parseBoolean(fail)) {
            throw new IllegalStateException("failing as asked by job parameter fail=true");
        }
        return "SLEPT";
    }

    @Override
    public void stop() {
        stopped = true;
    }
}
