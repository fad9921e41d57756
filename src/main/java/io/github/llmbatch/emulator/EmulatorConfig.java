package io.github.llmbatch.emulator;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run an {@link EmulatorServer}.
 *
 * <p>Timing and limit keys of the {@link FaultPlan} (for example {@code validatingMs=5000}) win over
 * {@link #timings()} and {@link #limits()}, so a fault-spec string alone can configure an emulator
 * started from the command line or by {@link EmbeddedEmulator}.
 *
 * @param host        interface to bind, {@code 127.0.0.1} by default
 * @param port        TCP port; 0 picks a free one
 * @param storageDir  where uploaded and result files live; null = a temporary directory that
 *                    {@link EmulatorServer#close()} deletes (a given directory is left in place)
 * @param faults      injected failures
 * @param timings     state durations
 * @param limits      enforced provider limits
 */
public record EmulatorConfig(String host, int port, Path storageDir, FaultPlan faults, EmulatorTimings timings,
                             EmulatorLimits limits) {

    public EmulatorConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        faults = faults == null ? FaultPlan.none() : faults;
        timings = timings == null ? EmulatorTimings.defaults() : timings;
        limits = limits == null ? EmulatorLimits.defaults() : limits;
    }

    /** Loopback, a free port, a temporary storage directory, no faults, default timings and limits. */
    public static EmulatorConfig defaults() {
        return new EmulatorConfig("127.0.0.1", 0, null, FaultPlan.none(), EmulatorTimings.defaults(),
                EmulatorLimits.defaults());
    }

    public EmulatorConfig withHost(String newHost) {
        return new EmulatorConfig(newHost, port, storageDir, faults, timings, limits);
    }

    public EmulatorConfig withPort(int newPort) {
        return new EmulatorConfig(host, newPort, storageDir, faults, timings, limits);
    }

    public EmulatorConfig withStorageDir(Path dir) {
        return new EmulatorConfig(host, port, dir, faults, timings, limits);
    }

    public EmulatorConfig withFaults(FaultPlan plan) {
        return new EmulatorConfig(host, port, storageDir, plan, timings, limits);
    }

    public EmulatorConfig withTimings(EmulatorTimings newTimings) {
        return new EmulatorConfig(host, port, storageDir, faults, newTimings, limits);
    }

    public EmulatorConfig withLimits(EmulatorLimits newLimits) {
        return new EmulatorConfig(host, port, storageDir, faults, timings, newLimits);
    }
}
