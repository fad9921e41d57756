package io.github.llmbatch.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A plain server socket that records each request's head exactly as it arrived (request line and
 * header lines, duplicates and order kept) and answers from a script. Unlike the JDK HttpServer it
 * hides nothing, and it can hang at any point.
 */
public final class RawHttpServer implements AutoCloseable {

    /** A request head as received. */
    public record Head(String requestLine, List<String> headerLines) {

        /** Every value of this header, in order. */
        public List<String> values(String name) {
            List<String> values = new ArrayList<>();
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).trim());
                }
            }
            return values;
        }

        public String path() {
            return requestLine.split(" ")[1];
        }
    }

    /** Bytes to write; then the connection closes, or with {@code thenHang} stays open and silent. */
    public record Answer(byte[] bytes, boolean thenHang) {

        /** No answer at all. */
        public static final Answer HANG = new Answer(new byte[0], true);

        /** A whole answer with a JSON body and extra header lines ({@code Name: value}). */
        public static Answer json(int status, String json, String... headers) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            return new Answer(concat(head(status, body.length, headers), body), false);
        }

        /** The head and the first {@code sent} bytes of a body of {@code length}, then silence. */
        public static Answer stalled(int length, int sent) {
            return new Answer(concat(head(200, length), new byte[sent]), true);
        }

        private static byte[] head(int status, int length, String... headers) {
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            return head.append("Content-Length: ").append(length).append("\r\n\r\n")
                    .toString().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** What to do with one request. */
    @FunctionalInterface
    public interface Script {
        Answer answer(Head head, byte[] body);
    }

    private final ServerSocket socket;
    private final List<Head> heads = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Script script;
    private final boolean readBodies;

    public RawHttpServer(Script script) throws IOException {
        this(script, true);
    }

    /** A server that takes each request's head and then stops reading: uploads to it stall. */
    public static RawHttpServer notReadingBodies() throws IOException {
        return new RawHttpServer((head, body) -> Answer.HANG, false);
    }

    private RawHttpServer(Script script, boolean readBodies) throws IOException {
        this.script = script;
        this.readBodies = readBodies;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "raw-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
    }

    public List<Head> heads() {
        synchronized (heads) {
            return List.copyOf(heads);
        }
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "raw-http-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] lines = head.split("\r\n");
                Head h = new Head(lines[0], List.of(lines).subList(1, lines.length));
                heads.add(h);
                if (!readBodies) {
                    closed.await(10, TimeUnit.MINUTES);
                    return;
                }
                List<String> length = h.values("Content-Length");
                byte[] body = length.isEmpty() ? new byte[0] : in.readNBytes(Integer.parseInt(length.get(0)));
                Answer answer = script.answer(h, body);
                out.write(answer.bytes());
                out.flush();
                if (answer.thenHang()) {
                    closed.await(10, TimeUnit.MINUTES);
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server closes
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        socket.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
