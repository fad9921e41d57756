package io.github.llmbatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.batch.operations.BatchRuntimeException;
import jakarta.batch.operations.JobExecutionAlreadyCompleteException;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobRestartException;
import jakarta.batch.operations.JobSecurityException;
import jakarta.batch.operations.JobStartException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.operations.NoSuchJobInstanceException;
import jakarta.ws.rs.core.Response.Status;

import org.junit.jupiter.api.Test;

class BatchErrorMapperTest {

    @Test
    void unknownIdsAreNotFound() {
        assertEquals(Status.NOT_FOUND, BatchErrorMapper.statusOf(new NoSuchJobExecutionException("x")));
        assertEquals(Status.NOT_FOUND, BatchErrorMapper.statusOf(new NoSuchJobInstanceException("x")));
    }

    @Test
    void operationsTheExecutionsStateForbidsAreConflicts() {
        assertEquals(Status.CONFLICT, BatchErrorMapper.statusOf(new JobRestartException("x")));
        assertEquals(Status.CONFLICT, BatchErrorMapper.statusOf(new JobExecutionAlreadyCompleteException("x")));
        assertEquals(Status.CONFLICT, BatchErrorMapper.statusOf(new JobExecutionNotRunningException("x")));
    }

    @Test
    void otherFailuresKeepTheirMeaning() {
        assertEquals(Status.BAD_REQUEST, BatchErrorMapper.statusOf(new JobStartException("x")));
        assertEquals(Status.FORBIDDEN, BatchErrorMapper.statusOf(new JobSecurityException("x")));
        assertEquals(Status.INTERNAL_SERVER_ERROR, BatchErrorMapper.statusOf(new BatchRuntimeException("x")));
    }
}
