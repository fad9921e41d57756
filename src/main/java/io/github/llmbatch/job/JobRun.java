package io.github.llmbatch.job;

import io.github.llmbatch.ledger.InstancePaths;
import io.github.llmbatch.ledger.Ledger;
import io.github.llmbatch.ledger.LockFence;
import io.github.llmbatch.pipeline.RunContext;
import io.github.llmbatch.provider.BatchProvider;
import jakarta.batch.runtime.context.JobContext;

import java.time.Clock;

/** What every artifact derives from its job context: the settings and the instance's files. */
record JobRun(JobSettings settings, InstancePaths paths, long instanceId) {

    static JobRun of(JobContext context) {
        JobSettings settings = JobSettings.from(context.getProperties());
        return new JobRun(settings, InstancePaths.of(settings.workDir(), context.getInstanceId()),
                context.getInstanceId());
    }

    Ledger ledger() {
        return paths.ledgerStore().readOrCreate(instanceId);
    }

    /** The shared state of submit, poll and their provider; the caller closes the provider. */
    RunContext runContext(BatchProvider provider, LockFence fence) {
        return new RunContext(paths, ledger(), paths.ledgerStore(), fence, provider, settings.profile(),
                settings.endpointName(), settings.model(), settings.pollInterval(), settings.maxAttempts(),
                Clock.systemUTC());
    }
}
