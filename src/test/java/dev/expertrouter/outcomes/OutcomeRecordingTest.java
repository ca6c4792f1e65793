package dev.expertrouter.outcomes;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.testing.Deadline;
import dev.expertrouter.testing.RedisServer;
import dev.expertrouter.testing.RedisTestResource;
import dev.expertrouter.testing.UpstreamRecorder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class OutcomeRecordingTest {

    @Inject
    OutcomeStore store;

    @Inject
    RedisOutcomeSink sink;

    @Inject
    UpstreamRecorder upstream;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aRoutedRequestYieldsOneOutcomeWithoutThePromptText() {
        String secretPrompt = "my account number is 12345678";
        alpha().header("x-request-id", "outcome-test-1")
                .body("{\"model\":\"auto\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"" + secretPrompt + "\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        OutcomeRecord o = await("outcome-test-1");
        assertThat(o.tenant()).isEqualTo("alpha");
        assertThat(o.policy()).isEqualTo("balanced");
        assertThat(o.expert()).isEqualTo("test-generalist");
        assertThat(o.status()).isEqualTo(200);
        assertThat(o.upstreamStatus()).isEqualTo(200);
        assertThat(o.completionTokens()).isEqualTo(5);
        assertThat(o.promptTokens()).isPositive();
        assertThat(o.costUsd()).isCloseTo((o.promptTokens() * 10.0 + 5 * 30.0) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(o.promptSha256()).hasSize(64);
        assertThat(o.toString()).doesNotContain(secretPrompt).doesNotContain(GatewayTestProfile.ALPHA_KEY);
        assertThat(o.candidates()).contains("test-generalist");
    }

    @Test
    void aTenantThatAllowsItKeepsThePromptTextWithPersonalDataRedacted() {
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + GatewayTestProfile.BETA_KEY)
                .contentType(io.restassured.http.ContentType.JSON).header("x-request-id", "outcome-test-prompt-kept")
                .body("{\"model\":\"auto\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"mail jane.doe@example.com about the rash\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        OutcomeRecord o = await("outcome-test-prompt-kept");
        assertThat(o.tenant()).isEqualTo("beta");
        assertThat(o.promptText()).contains("about the rash").contains("[email]").doesNotContain("jane.doe@example.com");
        // alpha stores no prompt text: only the hash
        alpha().header("x-request-id", "outcome-test-prompt-hashed")
                .body("{\"model\":\"auto\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"about the rash\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        assertThat(await("outcome-test-prompt-hashed").promptText()).isNull();
    }

    @Test
    void aFailedRequestIsRecordedWithItsFallbacks() {
        alpha().header("x-request-id", "outcome-test-2")
                .body("{\"model\":\"always-down\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(503);
        OutcomeRecord failed = await("outcome-test-2");
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.errorCode()).isEqualTo("expert_unavailable");
        assertThat(failed.upstreamStatus()).isEqualTo(503);
        assertThat(failed.costUsd()).isZero();

        alpha().header("x-request-id", "outcome-test-3")
                .body("{\"model\":\"failover\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        OutcomeRecord recovered = await("outcome-test-3");
        assertThat(recovered.fallbacks()).extracting(OutcomeRecord.Fallback::expert).containsExactly("always-down");
        assertThat(recovered.expert()).isNotEqualTo("always-down");
    }

    @Test
    void aClientThatDisconnectsMidStreamCancelsTheUpstreamCall() throws Exception {
        String id = UpstreamRecorder.PREFIX + "outcome-test-4";
        String body = "{\"model\":\"test-slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"long answer\"}]}";
        long started = System.nanoTime();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + GatewayTestProfile.ALPHA_KEY
                    + "\r\nx-request-id: " + id + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
                // headers, then the first chunk
            }
            assertThat(line).startsWith("data: ");
        }
        OutcomeRecord o = await(id);
        assertThat(o.status()).isEqualTo(499);
        assertThat(o.errorCode()).isEqualTo("client_closed_request");
        // the whole answer would take 10 s at 40 tokens/s; the record comes as soon as the client leaves
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        // and the expert sees the gateway hang up before its answer is complete
        Deadline.await("test-slow's stream abandoned by the gateway", () -> upstream.abandoned(id));
        assertThat(upstream.calls(id)).extracting(UpstreamRecorder.Call::expert).containsExactly("test-slow");
    }

    /** The request's outcome as the Redis stream holds it. */
    private OutcomeRecord await(String requestId) {
        Deadline.await("the outcome of " + requestId + " in Redis", () -> store.outcome(requestId).isPresent());
        return store.outcome(requestId).orElseThrow();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void redisStoppedTheGatewayKeepsAnsweringAndTheSpoolDrainsWhenItReturns() {
        RedisServer redis = RedisTestResource.server();
        // saves what Redis holds, then exits: what it acknowledged survives the restart below
        redis.command("SHUTDOWN SAVE");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (redis.isRunning() && System.nanoTime() < until) {
            sleep(10);
        }
        assertThat(redis.isRunning()).isFalse();
        try {
            for (int i = 0; i < 20; i++) {
                alpha().header("x-request-id", "redis-away-" + i)
                        .body("{\"model\":\"auto\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                        .post("/v1/chat/completions").then().statusCode(200);
            }
            long spoolUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sink.state().spooled() < 20 && System.nanoTime() < spoolUntil) {
                sleep(10);
            }
            assertThat(sink.state().spooled()).as("records spooled while Redis is away").isGreaterThanOrEqualTo(20);
            given().get("/q/health/ready").then().statusCode(200);
            given().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'outcomes' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'outcomes' }.data.state", equalTo("down"));
            alpha().body("{\"request_id\":\"redis-away-0\",\"score\":1}").post("/v1/feedback").then().statusCode(503)
                    .header("retry-after", "5").body("error.code", equalTo("feedback_unavailable"));
        } finally {
            redis.start();
        }
        for (int i = 0; i < 20; i++) {
            assertThat(await("redis-away-" + i).status()).isEqualTo(200);
        }
        long drainUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sink.state().spooled() > 0 && System.nanoTime() < drainUntil) {
            sleep(10);
        }
        assertThat(sink.state().spooled()).isZero();
        // the estimates' feed sees Redis again at its next poll (backoff at most router.outcomes.max-retry-backoff)
        long healthyUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (given().get("/q/health/well").statusCode() != 200 && System.nanoTime() < healthyUntil) {
            sleep(50);
        }
        given().get("/q/health/well").then().statusCode(200).body("checks.find { it.name == 'outcomes' }.data.state", equalTo("up"));
        // feedback joins the replayed outcome
        alpha().body("{\"request_id\":\"redis-away-0\",\"score\":1}").post("/v1/feedback").then().statusCode(200);
    }
}
