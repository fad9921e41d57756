package io.github.llmbatch.provider;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * When a response's headers arrived and when its body last brought data: the JDK's request timeout
 * ends at the headers, so a body that stalls afterwards is only noticed by watching it.
 */
final class BodyProgress {

    private volatile long headersAt;
    private volatile long lastDataAt;
    private volatile long bytes;

    boolean headersReceived() {
        return headersAt != 0;
    }

    long bytes() {
        return bytes;
    }

    /** Nanoseconds since the headers or the last body data, whichever is later; 0 before the headers. */
    long idleNanos(long now) {
        return headersAt == 0 ? 0 : now - Math.max(headersAt, lastDataAt);
    }

    <T> BodySubscriber<T> watch(BodySubscriber<T> body) {
        headersAt = System.nanoTime();
        return new BodySubscriber<>() {
            @Override
            public CompletionStage<T> getBody() {
                return body.getBody();
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                body.onSubscribe(subscription);
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                long n = 0;
                for (ByteBuffer buffer : item) {
                    n += buffer.remaining();
                }
                bytes += n; // one subscriber thread at a time (Flow rules)
                lastDataAt = System.nanoTime();
                body.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                body.onError(throwable);
            }

            @Override
            public void onComplete() {
                body.onComplete();
            }
        };
    }
}
