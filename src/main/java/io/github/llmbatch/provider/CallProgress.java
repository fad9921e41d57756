package io.github.llmbatch.provider;

import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * How far one exchange has got: request body bytes handed to the connection, when the response's
 * headers arrived, response body bytes received, and when data last moved either way. The JDK's
 * request timeout covers the whole time until the headers, so an upload whose peer stopped reading,
 * or a body that stalls after its headers, is only noticed by watching the data move.
 */
final class CallProgress {

    private final long requestBytes;
    private volatile long sent;
    private volatile long headersAt;
    private volatile long received;
    private volatile long lastDataAt;

    /** @param requestBytes the request body's length, 0 without a body, negative when unknown */
    CallProgress(long requestBytes) {
        this.requestBytes = requestBytes;
        this.lastDataAt = System.nanoTime();
    }

    boolean headersReceived() {
        return headersAt != 0;
    }

    long sent() {
        return sent;
    }

    long received() {
        return received;
    }

    /** While the request body is still being sent: the client waits on the peer to take it. */
    boolean sending() {
        return headersAt == 0 && requestBytes > 0 && sent < requestBytes;
    }

    long requestBytes() {
        return requestBytes;
    }

    /**
     * Nanoseconds without data while data should be moving: the request body being sent, or the
     * response body after its headers; 0 while the peer is merely working on its answer.
     */
    long stalledNanos(long now) {
        return sending() || headersReceived() ? now - lastDataAt : 0;
    }

    BodyPublisher watch(BodyPublisher body) {
        return new BodyPublisher() {
            @Override
            public long contentLength() {
                return body.contentLength();
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                body.subscribe(new Flow.Subscriber<ByteBuffer>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(subscription);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        sent += item.remaining(); // one publisher thread at a time (Flow rules)
                        lastDataAt = System.nanoTime();
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        };
    }

    <T> BodySubscriber<T> watch(BodySubscriber<T> body) {
        headersAt = System.nanoTime();
        lastDataAt = headersAt;
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
                received += n;
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
