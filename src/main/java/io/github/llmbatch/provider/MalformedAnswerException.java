package io.github.llmbatch.provider;

import java.io.IOException;

/**
 * A 2xx answer whose body is not what the API describes (not JSON, cut short, the wrong shape).
 * Not retried: the exchange itself worked, so asking again gets the same answer; typical causes are
 * a base URL that points at something else, a proxy's page or an incompatible server.
 */
public final class MalformedAnswerException extends IOException {

    /** @param call for example {@code GET /v1/batches/batch_1} */
    public MalformedAnswerException(String call, String problem, Throwable cause) {
        super("malformed answer from " + call + ": " + problem, cause);
    }
}
