package io.github.llmbatch.provider;

import java.net.http.HttpHeaders;

/** A successful (2xx) answer from {@link HttpTransport}. */
public record HttpResult<T>(int statusCode, HttpHeaders headers, T body) {
}
