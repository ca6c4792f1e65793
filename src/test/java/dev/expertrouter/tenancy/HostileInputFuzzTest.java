package dev.expertrouter.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.GatewayTestProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * Thousands of hostile requests, seeded and bounded in time: broken JSON, deep nesting, huge
 * numbers, wrong types, giant strings, invalid UTF-8, header injection and oversized headers.
 * None may get a 5xx or hang, the gateway must be healthy after, and no key may reach the log.
 */
@QuarkusTest
@TestProfile(TenancyTestProfile.class)
class HostileInputFuzzTest {

    private static final long SEED = 14L;
    private static final Duration BUDGET = Duration.ofSeconds(45);
    private static final Duration PER_REQUEST = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Everything logged while the test runs, as text. */
    static final class Captured extends Handler {
        final StringBuffer text = new StringBuffer();

        @Override
        public void publish(LogRecord r) {
            text.append(r.getLoggerName()).append(' ').append(r.getMessage()).append(' ');
            if (r.getParameters() != null) {
                for (Object p : r.getParameters()) {
                    text.append(p).append(' ');
                }
            }
            if (r.getThrown() != null) {
                text.append(r.getThrown()).append(' ');
            }
            text.append('\n');
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private String body(Random r) {
        String[] good = {"{\"model\": \"test-med\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"};
        return switch (r.nextInt(12)) {
            case 0 -> good[0].substring(0, r.nextInt(good[0].length()));
            case 1 -> "[".repeat(200 + r.nextInt(5000));
            case 2 -> "{\"model\": \"test-med\", \"messages\": " + "[".repeat(70) + "]".repeat(70) + "}";
            case 3 -> "{\"model\": \"test-med\", \"max_tokens\": 1" + "0".repeat(r.nextInt(400) + 20) + ", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}";
            case 4 -> "{\"model\": \"test-med\", \"temperature\": 1e999, \"n\": 1.5e308, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}";
            case 5 -> "{\"model\": " + List.of("1", "true", "null", "[]", "{}").get(r.nextInt(5)) + ", \"messages\": {\"role\": 5}}";
            case 6 -> "{\"model\": \"test-med\", \"messages\": [{\"role\": \"user\", \"content\": \"" + "A".repeat(100_000 + r.nextInt(100_000)) + "\"}]}";
            case 7 -> "{\"model\": \"test-med\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": 42}]}]}";
            case 8 -> "{\"model\": \"test-med\", \"stream\": \"yes\", \"stream_options\": 7, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}";
            case 9 -> "{\"request_id\": " + "9".repeat(r.nextInt(2000) + 1) + ", \"score\": \"NaN\"}";
            case 10 -> "{\"model\": \"test-med\", \"messages\": [{\"role\": \"user\", \"content\": \"\\ud800\\udfff\\u0000\"}], \"n\": -1}";
            default -> good[0];
        };
    }

    private byte[] bytes(Random r, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(6) == 0 && b.length > 4) {
            // invalid UTF-8: lone continuation bytes, an overlong encoding, a truncated sequence
            int at = r.nextInt(b.length);
            byte[][] bad = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}};
            byte[] insert = bad[r.nextInt(bad.length)];
            byte[] out = new byte[b.length + insert.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(insert, 0, out, at, insert.length);
            System.arraycopy(b, at, out, at + insert.length, b.length - at);
            return out;
        }
        return b;
    }

    /** One raw HTTP/1.1 exchange; returns the status, or 0 when the server closed without one. */
    private int raw(String head) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout((int) PER_REQUEST.toMillis());
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.write(c);
            }
            String status = line.toString(StandardCharsets.ISO_8859_1);
            return status.startsWith("HTTP/") && status.length() >= 12 ? Integer.parseInt(status.substring(9, 12)) : 0;
        }
    }

    @Test
    void hostileRequestsGetNo5xxNoHangAndLeakNoKey() throws Exception {
        Captured log = new Captured();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(log);
        Random r = new Random(SEED);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        long deadline = System.nanoTime() + BUDGET.toNanos();
        String[] paths = {"/v1/chat/completions", "/v1/route", "/v1/feedback", "/sim/test-med/v1/chat/completions"};
        String[] keys = {GatewayTestProfile.BETA_KEY, "sk-router-demo", TenancyTestProfile.ADMIN_KEY, "sk-upstream-secret", ""};
        try {
            while (sent < 3000 && System.nanoTime() < deadline) {
                sent++;
                if (r.nextInt(10) == 0) {
                    String key = keys[r.nextInt(keys.length)];
                    String head = switch (r.nextInt(4)) {
                        case 0 -> "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nX-Big: " + "a".repeat(30_000 + r.nextInt(40_000)) + "\r\n\r\n";
                        case 1 -> "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nX-Inject: a\rSet-Cookie: x=1\r\n\r\n";
                        case 2 -> "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello";
                        default -> "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Bad\u0001: \u007f\u00ff\r\n\r\n";
                    };
                    int status = raw(head);
                    if (status >= 500) {
                        failures.add("raw request #" + sent + " got " + status);
                    }
                    continue;
                }
                String path = paths[r.nextInt(paths.length)];
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path)).timeout(PER_REQUEST)
                        .header("content-type", r.nextInt(8) == 0 ? "text/plain" : "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(r, body(r))));
                String key = keys[r.nextInt(keys.length)];
                if (!key.isEmpty()) {
                    req.header("authorization", "Bearer " + key);
                }
                if (r.nextInt(5) == 0) {
                    req.header("x-router-max-cost-usd", List.of("-1", "NaN", "1e999", "abc", "0").get(r.nextInt(5)));
                }
                try {
                    HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                    if (resp.statusCode() >= 500) {
                        failures.add(path + " #" + sent + " got " + resp.statusCode() + ": " + resp.body().substring(0, Math.min(200, resp.body().length())));
                    }
                } catch (java.net.http.HttpTimeoutException e) {
                    failures.add(path + " #" + sent + " hung past " + PER_REQUEST);
                } catch (java.io.IOException e) {
                    // the server may close a connection it refuses (e.g. after a 413): not a 5xx, not a hang
                }
            }
        } finally {
            root.removeHandler(log);
        }
        assertThat(failures).isEmpty();
        assertThat(sent).isGreaterThan(500);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + "/q/health/ready"))
                .timeout(PER_REQUEST).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        String text = log.text.toString();
        assertThat(text).isNotEmpty();
        for (String secret : List.of("sk-router-demo", TenancyTestProfile.ADMIN_KEY, "sk-upstream-secret", GatewayTestProfile.BETA_KEY)) {
            assertThat(text).as("log output").doesNotContain(secret);
        }
    }
}
