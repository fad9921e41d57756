package io.github.llmbatch.web;

import jakarta.batch.operations.BatchRuntimeException;
import jakarta.batch.operations.JobExecutionAlreadyCompleteException;
import jakarta.batch.operations.JobExecutionIsRunningException;
import jakarta.batch.operations.JobExecutionNotMostRecentException;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobRestartException;
import jakarta.batch.operations.JobSecurityException;
import jakarta.batch.operations.JobStartException;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.operations.NoSuchJobInstanceException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Answers a failed {@code JobOperator} call with a status that says what went wrong and a
 * small JSON body, never the server's stack trace.
 */
public class BatchErrorMapper implements ExceptionMapper<BatchRuntimeException> {

    @Override
    public Response toResponse(BatchRuntimeException exception) {
        return Response.status(statusOf(exception))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new BatchErrorEntity(exception.getClass().getSimpleName(), exception.getMessage()))
                .build();
    }

    static Response.Status statusOf(BatchRuntimeException exception) {
        if (exception instanceof NoSuchJobException
                || exception instanceof NoSuchJobExecutionException
                || exception instanceof NoSuchJobInstanceException) {
            return Response.Status.NOT_FOUND;
        }
        if (exception instanceof JobRestartException
                || exception instanceof JobExecutionAlreadyCompleteException
                || exception instanceof JobExecutionNotMostRecentException
                || exception instanceof JobExecutionIsRunningException
                || exception instanceof JobExecutionNotRunningException) {
            return Response.Status.CONFLICT;
        }
        if (exception instanceof JobStartException) {
            return Response.Status.BAD_REQUEST;
        }
        if (exception instanceof JobSecurityException) {
            return Response.Status.FORBIDDEN;
        }
        return Response.Status.INTERNAL_SERVER_ERROR;
    }
}
