package io.github.llmbatch.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** 400 with the same body as the batch errors: {@code {"type": "InvalidRequest", "message"}}. */
public class InvalidRequestMapper implements ExceptionMapper<InvalidRequestException> {

    @Override
    public Response toResponse(InvalidRequestException exception) {
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new BatchErrorEntity("InvalidRequest", exception.getMessage()))
                .build();
    }
}
