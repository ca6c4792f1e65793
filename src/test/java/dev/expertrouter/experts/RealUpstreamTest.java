package dev.expertrouter.experts;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.api.UpstreamErrors;
import dev.expertrouter.testing.ConfigCopy;
import dev.expertrouter.testing.Deadline;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * An expert behind a real HTTP endpoint (a stub OpenAI server on loopback): what the gateway sends
 * upstream, and what it makes of what comes back.
 */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class RealUpstreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Vertx vertx;

    @Test
    void theUpstreamGetsItsKeyHeadersRequestIdModelAndUnknownFieldsAndBadBodiesAndRefusedKeysAreErrors() throws Exception {
        Map<String, String> seenHeaders = new ConcurrentHashMap<>();
        Map<String, JsonNode> seenBody = new ConcurrentHashMap<>();
        AtomicInteger deniedCalls = new AtomicInteger();
        HttpServer stub = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
            req.headers().forEach(h -> seenHeaders.put(h.getKey().toLowerCase(), h.getValue()));
            try {
                seenBody.put("body", JSON.readTree(buf.getBytes()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (req.path().contains("/garbage/")) {
                req.response().putHeader("content-type", "application/json").end("{\"choices\": [tru");
                return;
            }
            if (req.path().contains("/denied/")) {
                deniedCalls.incrementAndGet();
                req.response().setStatusCode(401).putHeader("content-type", "application/json")
                        .end("{\"error\": {\"message\": \"Incorrect API key provided: sk-upst****cret\", \"type\": \"invalid_request_error\", \"code\": \"invalid_api_key\"}}");
                return;
            }
            if (req.path().contains("/toolong/")) {
                req.response().setStatusCode(400).putHeader("content-type", "application/json")
                        .end("{\"error\": {\"message\": \"This model's maximum context length is 8 tokens\", \"type\": \"invalid_request_error\"}}");
                return;
            }
            req.response().putHeader("content-type", "application/json").end("""
                    {"id": "x", "object": "chat.completion", "created": 1, "model": "upstream-model",
                     "choices": [{"index": 0, "message": {"role": "assistant", "content": "from the stub"}, "finish_reason": "stop"}],
                     "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}}
                    """);
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Path experts = GatewayTestProfile.configDir().resolve("experts.yaml");
        String original = Files.readString(experts);
        try {
            String base = "http://127.0.0.1:" + stub.actualPort();
            ConfigCopy.replace(experts, original + """
                      - id: stubbed
                        base-url: %s/ok/v1
                        model: upstream-model
                        api-key-env: UPSTREAM_TEST_KEY
                        headers-env: {OpenAI-Organization: UPSTREAM_TEST_ORG}
                      - id: garbage
                        base-url: %s/garbage/v1
                        fault-tolerance: {retries: 0}
                      - id: toolong
                        base-url: %s/toolong/v1
                      - id: denied
                        base-url: %s/denied/v1
                        model: upstream-model
                        api-key-env: UPSTREAM_TEST_KEY
                    """.formatted(base, base, base, base));
            Deadline.await("the stub experts listed in /v1/models", () -> models().containsAll(List.of("toolong", "denied")));

            alpha().header("x-request-id", "upstream-test-1").body("""
                    {"model": "stubbed", "messages": [{"role": "user", "content": "hi"}],
                     "response_format": {"type": "json_object"}, "tools": [{"type": "function", "function": {"name": "f"}}]}
                    """).post("/v1/chat/completions").then().statusCode(200)
                    .body("choices[0].message.content", equalTo("from the stub"))
                    .body("usage.total_tokens", equalTo(10));
            assertThat(seenHeaders).containsEntry("authorization", "Bearer sk-upstream-secret")
                    .containsEntry("openai-organization", "org-42")
                    .containsEntry("x-request-id", "upstream-test-1");
            JsonNode sent = seenBody.get("body");
            assertThat(sent.path("model").asText()).isEqualTo("upstream-model");
            assertThat(sent.path("response_format").path("type").asText()).isEqualTo("json_object");
            assertThat(sent.path("tools").get(0).path("function").path("name").asText()).isEqualTo("f");
            // the caller's gateway key never goes upstream
            assertThat(seenHeaders.values()).noneMatch(v -> v.contains(GatewayTestProfile.ALPHA_KEY));

            alpha().body("{\"model\": \"garbage\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                    .post("/v1/chat/completions").then().statusCode(502)
                    .body("error.code", equalTo("upstream_invalid_response"));
            alpha().body("{\"model\": \"toolong\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                    .post("/v1/chat/completions").then().statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.message", org.hamcrest.Matchers.containsString("maximum context length"));

            // The expert refuses the gateway's own key for it: the operator's fault, not the caller's request.
            List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
            Handler capture = new Handler() {
                @Override
                public void publish(LogRecord r) {
                    warnings.add(r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage());
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            Logger upstreamErrors = Logger.getLogger(UpstreamErrors.class.getName());
            upstreamErrors.addHandler(capture);
            String refused;
            try {
                refused = alpha().body("{\"model\": \"denied\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                        .post("/v1/chat/completions").then().statusCode(502)
                        .body("error.type", equalTo("upstream_error"))
                        .body("error.code", equalTo("upstream_error"))
                        .body("error.message", equalTo("Expert 'denied' refused the gateway's credentials for it; "
                                + "the gateway operator must fix its key."))
                        .extract().asString();
                Deadline.await("the refusal logged", () -> !warnings.isEmpty());
            } finally {
                upstreamErrors.removeHandler(capture);
            }
            assertThat(refused).as("neither the expert's text nor its key reach the caller")
                    .doesNotContain("Incorrect API key").doesNotContain("sk-upst");
            assertThat(deniedCalls).as("a refused key is not retried").hasValue(1);
            assertThat(warnings).anySatisfy(w -> assertThat(w)
                    .contains("expert denied refused the gateway's credentials (HTTP 401)", "api-key-env"));
            assertThat(String.join("\n", warnings)).doesNotContain("sk-upstream-secret");
        } finally {
            stub.close();
            // the other classes of this profile expect the catalogue they were written for
            ConfigCopy.replace(experts, original);
            Deadline.await("the original catalogue back in force", () -> !models().contains("toolong"));
        }
    }

    private static List<String> models() {
        return alpha().get("/v1/models").then().statusCode(200).extract().jsonPath().getList("data.id");
    }
}
