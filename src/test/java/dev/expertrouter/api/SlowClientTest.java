package dev.expertrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.testing.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client that opens a connection and sends its headers a byte at a time, or not at all, is cut
 * off at {@code router.header-read-timeout} (2 s in this profile), long before the idle timeout; one
 * that dribbles its body is cut off at {@code router.body-read-timeout} (3 s here).
 */
@QuarkusTest
@TestProfile(HardenedGatewayProfile.class)
class SlowClientTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URL base;

    @Test
    void aClientDribblingItsHeadersIsCutOffWith408() throws IOException {
        long start = System.nanoTime();
        String answer = null;
        try (RawHttp http = RawHttp.connect(base, DEADLINE)) {
            http.send("GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + GatewayTestProfile.ALPHA_KEY + "\r\n");
            while (answer == null && System.nanoTime() - start < DEADLINE.toNanos()) {
                try {
                    http.send("x");
                } catch (IOException closed) {
                    // the gateway closed while we were writing: read what it said first
                }
                answer = http.untilClosed(Duration.ofMillis(100));
            }
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer).as("cut off within " + DEADLINE).isNotNull();
        assertThat(elapsedMs).isGreaterThanOrEqualTo(HardenedGatewayProfile.HEADER_READ_TIMEOUT_MS);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
    }

    @Test
    void aClientDribblingItsBodyIsCutOffWith408() throws IOException {
        String body = "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"" + "y".repeat(200) + "\"}]}";
        long start = System.nanoTime();
        String answer = null;
        try (RawHttp http = RawHttp.connect(base, DEADLINE)) {
            http.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + GatewayTestProfile.ALPHA_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n");
            // a byte every 250 ms: never idle, never done (the body would take 50 s)
            for (int i = 0; answer == null && i < body.length() - 1 && System.nanoTime() - start < DEADLINE.toNanos(); i++) {
                try {
                    http.send(body.substring(i, i + 1));
                } catch (IOException closed) {
                    // the gateway closed while we were writing: read what it said first
                }
                answer = http.untilClosed(Duration.ofMillis(250));
            }
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer).as("cut off within " + DEADLINE).isNotNull();
        assertThat(elapsedMs).isGreaterThanOrEqualTo(HardenedGatewayProfile.BODY_READ_TIMEOUT_MS);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"")
                .contains("\"type\":\"invalid_request_error\"");
    }

    @Test
    void aConnectionThatNeverSendsIsClosed() throws IOException {
        long start = System.nanoTime();
        try (RawHttp http = RawHttp.connect(base, DEADLINE)) {
            String answer = http.untilClosed(DEADLINE);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).as("closed within " + DEADLINE).isEqualTo("");
            assertThat(elapsedMs).isGreaterThanOrEqualTo(HardenedGatewayProfile.HEADER_READ_TIMEOUT_MS);
        }
    }

    @Test
    void aPromptClientIsServedAsBefore() throws IOException {
        RawHttp.Answer a = RawHttp.exchange(base, "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + GatewayTestProfile.ALPHA_KEY + "\r\n\r\n");
        assertThat(a.status()).isEqualTo(200);
    }
}
