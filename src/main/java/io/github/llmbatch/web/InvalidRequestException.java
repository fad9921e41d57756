package io.github.llmbatch.web;

/**
 * A request the API cannot take: a body that is not job parameters, a missing query
 * parameter. {@link InvalidRequestMapper} answers it with 400.
 */
class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidRequestException(String message) {
        super(message);
    }
}
