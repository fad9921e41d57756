package io.github.llmbatch.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.batch.runtime.BatchStatus;

import org.junit.jupiter.api.Test;

/** afterJob's view of the batch status, on JBeret (final already) and on JBatch (not yet). */
class EndingStatusTest {

    @Test
    void jbatchsInterimStatusesAreTheOnesTheJobEndsWith() {
        assertEquals(BatchStatus.COMPLETED, InstanceLockListener.endingStatus(BatchStatus.STARTED));
        assertEquals(BatchStatus.STOPPED, InstanceLockListener.endingStatus(BatchStatus.STOPPING));
    }

    @Test
    void finalStatusesStayAsTheyAre() {
        for (BatchStatus status : new BatchStatus[] {BatchStatus.COMPLETED, BatchStatus.STOPPED,
                BatchStatus.FAILED, BatchStatus.ABANDONED}) {
            assertEquals(status, InstanceLockListener.endingStatus(status));
        }
    }
}
