package dev.expertrouter.resilience;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.expertrouter.testing.ConfigCopy;
import dev.expertrouter.testing.Deadline;
import dev.expertrouter.testing.Prometheus;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway end to end against simulated experts that fail on purpose (one boot for all). Each
 * test starts from the baseline catalogue with fresh guards, so none depends on another's calls
 * or on the order they run in. Timing comes from the catalogue, never from a race: an open
 * circuit stays open for a minute, and a slot is held by a call that takes a minute until the
 * test lets go of it.
 */
@QuarkusTest
@TestProfile(FaultsProfile.class)
class FaultToleranceEndToEndTest {

    private static final String MAIN = "Bearer sk-faults-main";
    private static final String STREAM = "Bearer sk-faults-stream";
    private static final Path EXPERTS = FaultsProfile.CONFIG_DIR.resolve("experts.yaml");
    private static final String BASELINE = ConfigCopy.original(FaultsProfile.CONFIG_RESOURCE, "experts.yaml");
    private static final String RELOADS = "router_config_reloads_total{outcome=\"success\"}";

    @Inject
    ExpertGuards guards;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void baselineCatalogueAndFreshGuards() throws IOException {
        if (!Files.readString(EXPERTS).equals(BASELINE)) {
            double reloads = Prometheus.value(RELOADS);
            ConfigCopy.replace(EXPERTS, BASELINE);
            Deadline.await("the baseline catalogue back in force", () -> Prometheus.value(RELOADS) > reloads);
        }
        // as a reload that removed every expert would: the next call to each builds a new guard,
        // with a closed circuit and empty windows
        guards.retain(List.of());
    }

    private static String body(String model, boolean stream) {
        return "{\"model\": \"" + model + "\", \"stream\": " + stream + ", \"messages\": [{\"role\": \"user\", \"content\": \"hello\"}]}";
    }

    private static Response chat(String key, String model, boolean stream) {
        return given().header("authorization", key).contentType("application/json").body(body(model, stream))
                .when().post("/v1/chat/completions");
    }

    @Test
    void fallsBackToTheNextExpertThenRoutesAroundTheOpenCircuit() {
        // flaky fails twice (one retry), the request falls back to backup
        chat(MAIN, "auto", false).then().statusCode(200)
                .header("x-router-expert", "backup").header("x-router-fallbacks", "1");
        // two more failures fill flaky's window of 4: its circuit opens (for a minute)
        chat(MAIN, "auto", false).then().statusCode(200).header("x-router-expert", "backup");

        given().header("authorization", MAIN).contentType("application/json").body(body("auto", false))
                .when().post("/v1/route").then().statusCode(200)
                .body("candidates.find { it.expert == 'flaky' }.eligible", equalTo(false))
                .body("candidates.find { it.expert == 'flaky' }.reason", containsString("circuit open"));
        chat(MAIN, "auto", false).then().statusCode(200)
                .header("x-router-expert", "backup").header("x-router-fallbacks", "0");

        // forced onto the open circuit: no fallback, a transient 503 with Retry-After
        chat(MAIN, "flaky", false).then().statusCode(503).header("retry-after", notNullValue())
                .body("error.type", equalTo("upstream_error"));

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("router_expert_circuit_state{expert=\"flaky\"} 2.0"));
        adminExperts().then().statusCode(200)
                .body("experts.find { it.id == 'flaky' }.circuit", equalTo("open"))
                .body("experts.find { it.id == 'flaky' }.available", equalTo(false))
                .body("experts.find { it.id == 'backup' }.circuit", equalTo("closed"));
    }

    @Test
    void theExpertsVerdictOnTheRequestIsNeitherRetriedNorHidden() {
        String attempts = "gen_ai_client_operation_duration_seconds_count{expert=\"rejecting\",outcome=\"upstream_error_status\"}";
        double before = Prometheus.value(attempts);
        chat(MAIN, "rejecting", false).then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("rejected the request"));
        assertThat(Prometheus.value(attempts)).as("attempts at the rejecting expert").isEqualTo(before + 1);
    }

    @Test
    void aStreamThatFailsBeforeItsFirstChunkFallsBack() {
        Response r = chat(STREAM, "auto", true);
        r.then().statusCode(200).header("x-router-expert", "backup").header("x-router-fallbacks", "1");
        assertThat(r.asString()).endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
    }

    @Test
    void malformedJsonFromAnExpertFallsBackWhetherStreamedOrNot() {
        String garble = "Bearer sk-faults-garble";
        chat(garble, "auto", false).then().statusCode(200)
                .header("x-router-expert", "backup").header("x-router-fallbacks", "1");
        Response streamed = chat(garble, "auto", true);
        streamed.then().statusCode(200).header("x-router-expert", "backup").header("x-router-fallbacks", "1");
        assertThat(streamed.asString()).endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
        chat(garble, "garbler", false).then().statusCode(502).body("error.code", equalTo("upstream_invalid_response"));
    }

    @Test
    void aStreamCutAfterItsFirstChunkEndsWithOneErrorEventAndNoDone() {
        Response r = chat(MAIN, "dropper", true);
        r.then().statusCode(200).header("x-router-expert", "dropper");
        String sse = r.asString();
        assertThat(sse).contains("chat.completion.chunk").doesNotContain("[DONE]");
        assertThat(sse.split("\"stream_interrupted\"", -1)).hasSize(2);
        assertThat(sse.trim()).endsWith("}");
    }

    @Test
    void anOpenStreamHoldsItsExpertsConcurrencyUntilItEnds() throws Exception {
        try (Socket held = send(MAIN, body("streamer", true))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(held.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
                // status line and headers, then the first chunk
            }
            assertThat(line).as("first chunk of the held stream").startsWith("data: ");
            Deadline.await("the held stream counted against streamer", () -> expertInt("streamer", "open_streams") == 1);
            given().header("authorization", MAIN).contentType("application/json").body(body("auto", false)).post("/v1/route")
                    .then().statusCode(200)
                    .body("candidates.find { it.expert == 'streamer' }.eligible", equalTo(false))
                    .body("candidates.find { it.expert == 'streamer' }.reason", containsString("concurrency limit"));
        }
        // the client left: the stream ends and gives its slot back
        Deadline.await("streamer's slot freed after the client left", () -> expertInt("streamer", "open_streams") == 0);
        // a stream that runs to its end gives its slot back too
        Response shortStream = given().header("authorization", MAIN).contentType("application/json")
                .body("{\"model\": \"streamer\", \"stream\": true, \"max_tokens\": 3, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post("/v1/chat/completions");
        assertThat(shortStream.asString()).endsWith("data: [DONE]\n\n");
        Deadline.await("streamer's slot freed after a stream ran to its end", () -> expertInt("streamer", "open_streams") == 0);
    }

    @Test
    void aFullBulkheadGivesA503WithRetryAfter() throws Exception {
        try (Socket held = send(MAIN, body("slow", false))) {
            Deadline.await("the held call in flight at slow", () -> expertInt("slow", "in_flight") == 1);
            chat(MAIN, "slow", false).then().statusCode(503).header("retry-after", notNullValue())
                    .body("error.code", equalTo("expert_unavailable"))
                    .body("error.message", containsString("concurrency limit"));
            assertThat(held.isClosed()).isFalse();
        }
        Deadline.await("slow's slot freed after the client left", () -> expertInt("slow", "in_flight") == 0);
    }

    @Test
    void theDeadlineBoundsTheWholeRequest() {
        Response r = given().header("authorization", MAIN).header("x-router-max-latency-ms", "400").contentType("application/json")
                .body(body("hanger", false)).when().post("/v1/chat/completions");
        r.then().statusCode(504).body("error.code", equalTo("upstream_timeout"));
        // the hanger never answers; without the 400 ms deadline the expert's 30 s timeout would end it.
        // Timed by the HTTP exchange alone: a cold client library can take seconds on a busy machine.
        assertThat(Duration.ofMillis(r.time())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void adminViewNeedsTheAdminKey() {
        given().when().get("/admin/experts").then().statusCode(401).body("error.type", equalTo("authentication_error"));
        given().header("authorization", "Bearer wrong").when().get("/admin/experts").then().statusCode(401);
        given().header("authorization", MAIN).when().get("/admin/experts").then().statusCode(403)
                .body("error.code", equalTo("admin_key_required"));
        adminExperts().then().statusCode(200)
                .body("experts.find { it.id == 'backup' }.circuit", equalTo("closed"))
                .body("experts.find { it.id == 'flaky' }.fault_tolerance.retries", equalTo(1));
    }

    @Test
    void aReloadThatChangesAnExpertRebuildsItsGuardAndItsFaults() throws Exception {
        chat(MAIN, "auto", false).then().statusCode(200).header("x-router-expert", "backup");
        chat(MAIN, "auto", false).then().statusCode(200).header("x-router-expert", "backup");
        adminExperts().then().body("experts.find { it.id == 'flaky' }.circuit", equalTo("open"));

        ConfigCopy.replace(EXPERTS, BASELINE.replace("error-rate: 1.0, error-status: 503", "error-rate: 0.0, error-status: 503")
                .replace("retries: 1\n      backoff-ms: 5", "retries: 2\n      backoff-ms: 5"));
        Deadline.await("flaky's new settings in force", () -> expertInt("flaky", "fault_tolerance.retries") == 2);

        adminExperts().then().body("experts.find { it.id == 'flaky' }.circuit", equalTo("closed"));
        chat(MAIN, "auto", false).then().statusCode(200).header("x-router-expert", "flaky");
    }

    /** A request on a raw connection the test keeps open until it closes it: the gateway sees a client that stays. */
    private Socket send(String authorization, String json) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return socket;
    }

    private static int expertInt(String expert, String field) {
        Object value = adminExperts().then().statusCode(200).extract()
                .path("experts.find { it.id == '" + expert + "' }." + field);
        assertThat(value).as(expert + "." + field).isInstanceOf(Number.class);
        return ((Number) value).intValue();
    }

    private static Response adminExperts() {
        return given().header("authorization", "Bearer " + FaultsProfile.ADMIN_KEY).when().get("/admin/experts");
    }
}
