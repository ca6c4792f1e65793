package dev.expertrouter.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 spoken over a raw socket, for requests no HTTP client would send (oversized or malformed
 * heads, bytes dribbled one at a time): the test writes exactly the bytes of the attack and reads
 * whatever the gateway answers, including nothing.
 */
public final class RawHttp implements AutoCloseable {

    /** What came back: the status (0 when the gateway closed without answering), headers (lower-case names) and body. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    /** What {@link #untilClosed} has read so far, kept across calls that found the connection still open. */
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** Opens a connection to the host and port of {@code base}; reads give up after {@code readTimeout}. */
    public static RawHttp connect(URL base, Duration readTimeout) throws IOException {
        Socket s = new Socket(base.getHost(), base.getPort());
        s.setSoTimeout((int) readTimeout.toMillis());
        s.setTcpNoDelay(true);
        return new RawHttp(s);
    }

    /** One exchange on a fresh connection. */
    public static Answer exchange(URL base, String request) throws IOException {
        try (RawHttp http = connect(base, Duration.ofSeconds(15))) {
            http.send(request);
            return http.read();
        }
    }

    public void send(String bytes) throws IOException {
        socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /**
     * Everything the gateway sent until it closed the connection, or {@code null} when it is still
     * open after {@code wait} (a reset counts as closed). Bytes read by a call that returned
     * {@code null} are part of a later call's answer.
     */
    public String untilClosed(Duration wait) throws IOException {
        long until = System.nanoTime() + wait.toNanos();
        ByteArrayOutputStream got = received;
        InputStream in = socket.getInputStream();
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                int c = in.read();
                if (c == -1) {
                    return got.toString(StandardCharsets.ISO_8859_1);
                }
                got.write(c);
            } catch (SocketTimeoutException stillOpen) {
                return null;
            } catch (SocketException reset) {
                return got.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Reads one response: status line, headers, and the body by content-length (or to the end of the stream). */
    public Answer read() throws IOException {
        InputStream in = socket.getInputStream();
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketException reset) {
            return new Answer(0, Map.of(), "");
        }
        if (statusLine == null || !statusLine.startsWith("HTTP/") || statusLine.length() < 12) {
            return new Answer(0, Map.of(), "");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if (length != null) {
            byte[] b = in.readNBytes(Integer.parseInt(length));
            body.write(b);
        } else if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            in.transferTo(body);
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        if (c == -1 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
