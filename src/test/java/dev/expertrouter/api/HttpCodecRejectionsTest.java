package dev.expertrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.Json;
import dev.expertrouter.testing.LogCapture;
import dev.expertrouter.testing.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests the HTTP codec itself refuses before any route runs (a head too large, a request line
 * too long, bytes a header may not hold) and methods a route does not take, each sent as the raw
 * bytes of the attack: every one is answered in the OpenAI error shape with the right status, and
 * nothing is logged with a stack trace.
 */
@QuarkusTest
@TestProfile(HardenedGatewayProfile.class)
class HttpCodecRejectionsTest {

    @TestHTTPResource("/")
    URL base;

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.start();
    }

    @AfterEach
    void noStackTraceWasLogged() {
        log.close();
        log.assertNoStackTrace();
    }

    private static JsonNode openAiError(RawHttp.Answer a, int status, String code) throws Exception {
        assertThat(a.status()).as("status of " + a).isEqualTo(status);
        assertThat(a.headers().get("content-type")).startsWith("application/json");
        JsonNode error = Json.MAPPER.readTree(a.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        return error;
    }

    @Test
    void headersOverTheLimitAre431InTheOpenAiShape() throws Exception {
        RawHttp.Answer a = RawHttp.exchange(base, "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + GatewayTestProfile.ALPHA_KEY + "\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n");
        openAiError(a, 431, "headers_too_large");
        assertThat(a.body()).doesNotContain(GatewayTestProfile.ALPHA_KEY);
    }

    @Test
    void aRequestLineOverTheLimitIs414InTheOpenAiShape() throws Exception {
        RawHttp.Answer a = RawHttp.exchange(base, "GET /v1/models?q=" + "b".repeat(16 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        openAiError(a, 414, "uri_too_long");
    }

    @Test
    void badHeaderBytesAre400InTheOpenAiShape() throws Exception {
        for (String head : List.of(
                "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Bad\u0001: y\r\n\r\n",
                "GET /v1/models HTTP/1.1\r\nHost: x\r\nNo colon in this header\r\n\r\n",
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
                "GET /v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n")) {
            RawHttp.Answer a = RawHttp.exchange(base, head);
            openAiError(a, 400, "invalid_request");
        }
    }

    @Test
    void aMethodARouteDoesNotTakeIs405InTheOpenAiShape() throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            RawHttp.Answer a = RawHttp.exchange(base, method + " /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + GatewayTestProfile.ALPHA_KEY + "\r\nContent-Length: 0\r\n\r\n");
            openAiError(a, 405, "method_not_allowed");
        }
        List<String> wrong = new ArrayList<>();
        for (String path : List.of("/admin/router/retrain", "/admin/scorecard", "/admin/experts", "/admin/tenants/alpha/usage", "/v1/models")) {
            RawHttp.Answer a = RawHttp.exchange(base, "DELETE " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + HardenedGatewayProfile.ADMIN_KEY + "\r\nContent-Length: 0\r\n\r\n");
            if (a.status() != 405 || !a.body().contains("method_not_allowed")) {
                wrong.add(path + " -> " + a);
            }
        }
        assertThat(wrong).isEmpty();
        RawHttp.Answer get = RawHttp.exchange(base, "GET /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(get.headers().get("allow")).isEqualTo("POST");
        RawHttp.Answer getExperts = RawHttp.exchange(base, "DELETE /admin/experts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + HardenedGatewayProfile.ADMIN_KEY + "\r\n\r\n");
        assertThat(getExperts.headers().get("allow")).isEqualTo("GET");
    }

    @Test
    void aPathNothingServesIs404InTheOpenAiShape() throws Exception {
        openAiError(RawHttp.exchange(base, "GET /nothing/here HTTP/1.1\r\nHost: x\r\n\r\n"), 404, "unknown_endpoint");
        openAiError(RawHttp.exchange(base, "GET /admin/nothing HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + HardenedGatewayProfile.ADMIN_KEY + "\r\n\r\n"), 404, "unknown_endpoint");
    }
}
