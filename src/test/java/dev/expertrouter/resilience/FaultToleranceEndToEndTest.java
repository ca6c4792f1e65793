package dev.expertrouter.resilience;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The gateway end to end against simulated experts that fail on purpose (one boot for all). */
@QuarkusTest
@TestProfile(FaultsProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceEndToEndTest {

    private static final String MAIN = "Bearer sk-faults-main";
    private static final String STREAM = "Bearer sk-faults-stream";

    private static String body(String model, boolean stream) {
        return "{\"model\": \"" + model + "\", \"stream\": " + stream + ", \"messages\": [{\"role\": \"user\", \"content\": \"hello\"}]}";
    }

    private static Response chat(String key, String model, boolean stream) {
        return given().header("authorization", key).contentType("application/json").body(body(model, stream))
                .when().post("/v1/chat/completions");
    }

    @Test
    @Order(1)
    void fallsBackToTheNextExpertThenRoutesAroundTheOpenCircuit() {
        // flaky fails twice (one retry), the request falls back to backup
        chat(MAIN, "auto", false).then().statusCode(200)
                .header("x-router-expert", "backup").header("x-router-fallbacks", "1");
        // two more failures fill flaky's window of 4: its circuit opens
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
    }

    @Test
    @Order(2)
    void theExpertsVerdictOnTheRequestIsNeitherRetriedNorHidden() {
        chat(MAIN, "rejecting", false).then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("rejected the request"));
        given().when().get("/q/metrics").then()
                .body(containsString("gen_ai_client_operation_duration_seconds_count{expert=\"rejecting\",outcome=\"upstream_error_status\"} 1.0"));
    }

    @Test
    @Order(3)
    void aStreamThatFailsBeforeItsFirstChunkFallsBack() {
        Response r = chat(STREAM, "auto", true);
        r.then().statusCode(200).header("x-router-expert", "backup").header("x-router-fallbacks", "1");
        assertThat(r.asString()).endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
    }

    @Test
    @Order(3)
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
    @Order(4)
    void aStreamCutAfterItsFirstChunkEndsWithOneErrorEventAndNoDone() {
        Response r = chat(MAIN, "dropper", true);
        r.then().statusCode(200).header("x-router-expert", "dropper");
        String sse = r.asString();
        assertThat(sse).contains("chat.completion.chunk").doesNotContain("[DONE]");
        assertThat(sse.split("\"stream_interrupted\"", -1)).hasSize(2);
        assertThat(sse.trim()).endsWith("}");
    }

    @Test
    @Order(5)
    void anOpenStreamHoldsItsExpertsConcurrencyUntilItEnds() throws Exception {
        CompletableFuture<Response> stream = CompletableFuture.supplyAsync(() -> chat(MAIN, "streamer", true));
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!Integer.valueOf(1).equals(adminExperts().path("experts.find { it.id == 'streamer' }.open_streams"))
                && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        given().header("authorization", MAIN).contentType("application/json").body(body("auto", false)).post("/v1/route")
                .then().statusCode(200)
                .body("candidates.find { it.expert == 'streamer' }.eligible", equalTo(false))
                .body("candidates.find { it.expert == 'streamer' }.reason", containsString("concurrency limit"));
        assertThat(stream.get().asString()).endsWith("data: [DONE]\n\n");
        until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!Integer.valueOf(0).equals(adminExperts().path("experts.find { it.id == 'streamer' }.open_streams"))
                && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat((Integer) adminExperts().path("experts.find { it.id == 'streamer' }.open_streams")).isZero();
    }

    @Test
    @Order(5)
    void aFullBulkheadGivesA503WithRetryAfter() throws Exception {
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> chat(MAIN, "slow", false));
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (adminExperts().path("experts.find { it.id == 'slow' }.in_flight") == Integer.valueOf(0) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        chat(MAIN, "slow", false).then().statusCode(503).header("retry-after", notNullValue())
                .body("error.code", equalTo("expert_unavailable"))
                .body("error.message", containsString("concurrency limit"));
        assertThat(first.get().statusCode()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void theDeadlineBoundsTheWholeRequest() {
        long started = System.nanoTime();
        given().header("authorization", MAIN).header("x-router-max-latency-ms", "400").contentType("application/json")
                .body(body("hanger", false)).when().post("/v1/chat/completions")
                .then().statusCode(504).body("error.code", equalTo("upstream_timeout"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_500));
    }

    @Test
    @Order(7)
    void adminViewNeedsTheAdminKey() {
        given().when().get("/admin/experts").then().statusCode(401);
        given().header("authorization", "Bearer wrong").when().get("/admin/experts").then().statusCode(401);
        given().header("authorization", MAIN).when().get("/admin/experts").then().statusCode(403);
        adminExperts().then().statusCode(200)
                .body("experts.find { it.id == 'flaky' }.circuit", equalTo("open"))
                .body("experts.find { it.id == 'flaky' }.available", equalTo(false))
                .body("experts.find { it.id == 'backup' }.circuit", equalTo("closed"));
    }

    @Test
    @Order(8)
    void aReloadThatChangesAnExpertRebuildsItsGuardAndItsFaults() throws Exception {
        var experts = FaultsProfile.CONFIG_DIR.resolve("experts.yaml");
        String yaml = Files.readString(experts);
        Files.writeString(experts, yaml.replace("error-rate: 1.0, error-status: 503", "error-rate: 0.0, error-status: 503")
                .replace("retries: 1\n      backoff-ms: 5", "retries: 2\n      backoff-ms: 5"));
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"closed".equals(adminExperts().path("experts.find { it.id == 'flaky' }.circuit")) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        adminExperts().then().body("experts.find { it.id == 'flaky' }.fault_tolerance.retries", equalTo(2));
        chat(MAIN, "auto", false).then().statusCode(200).header("x-router-expert", "flaky");
    }

    private static Response adminExperts() {
        return given().header("authorization", "Bearer " + FaultsProfile.ADMIN_KEY).when().get("/admin/experts");
    }
}
