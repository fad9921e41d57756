package io.github.llmbatch.job;

import jakarta.batch.api.chunk.AbstractCheckpointAlgorithm;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * When prepare and merge checkpoint: after 20,000 items or 16 MB of processed data, whichever
 * comes first. Each checkpoint is a job-repository commit (about 15 ms on a busy disk, 5 ms of
 * the step's own thread on an idle one), so chunks should be large; a chunk's items are held in
 * memory until written, so large records (long documents, embedding vectors) must cut them short.
 */
@Named
@Dependent
public class ChunkBudget extends AbstractCheckpointAlgorithm {

    static final int MAX_ITEMS = 20_000;
    static final long MAX_BYTES = 16L << 20;

    @Inject
    StepContext stepContext;

    /** Called by the step's processor for every item it hands on. */
    static void add(StepContext step, long bytes) {
        usage(step).bytes += bytes;
    }

    @Override
    public boolean isReadyToCheckpoint() {
        Usage usage = usage(stepContext);
        usage.items++;
        if (usage.items >= MAX_ITEMS || usage.bytes >= MAX_BYTES) {
            usage.items = 0;
            usage.bytes = 0;
            return true;
        }
        return false;
    }

    private static Usage usage(StepContext step) {
        Object data = step.getTransientUserData();
        if (data instanceof Usage usage) {
            return usage;
        }
        Usage usage = new Usage();
        step.setTransientUserData(usage);
        return usage;
    }

    /** Items and bytes since the last checkpoint. */
    private static final class Usage {
        long items;
        long bytes;
    }
}
