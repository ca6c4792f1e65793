package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.testing.UpstreamRecorder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class ChatCompletionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    UpstreamRecorder upstream;

    private static final String BODY = """
            {"model": "%s", "messages": [{"role": "user", "content": "Hello, who are you?"}], "max_tokens": 8}
            """;

    @Test
    void autoRoutesToThePolicysDefaultExpertWithRoutingHeaders() {
        alpha().body(BODY.formatted("auto"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-router-expert", "test-generalist")
                .header("x-router-policy", "balanced")
                .header("x-router-domain", "unknown")
                .header("x-router-confidence", "0.0000")
                .header("x-router-version", "none")
                .header("x-router-fallbacks", "0")
                .header("x-request-id", startsWith("req-"))
                .body("object", equalTo("chat.completion"))
                .body("model", equalTo("test-gpt"))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].message.content", startsWith("[test-generalist]"))
                .body("choices[0].finish_reason", equalTo("length"))
                .body("usage.completion_tokens", equalTo(8))
                .body("usage.prompt_tokens", greaterThan(0));
    }

    @Test
    void callersRequestIdIsKeptWhenSafeAndReplacedWhenNot() {
        alpha().header("x-request-id", "my-trace_01.a").body(BODY.formatted("auto"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-request-id", "my-trace_01.a");
        String replaced = alpha().header("x-request-id", "bad id with spaces").body(BODY.formatted("auto"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).extract().header("x-request-id");
        assertThat(replaced).startsWith("req-").doesNotContain(" ");
    }

    @Test
    void forcedExpertAnswersItself() {
        alpha().body(BODY.formatted("test-med"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-router-expert", "test-med")
                .body("model", equalTo("test-meditron"));
    }

    @Test
    void policyNameAsModelAndHeaderChooseThePolicy() {
        alpha().body(BODY.formatted("failover"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-router-policy", "failover");
        alpha().header("x-router-policy", "failover").body(BODY.formatted("auto"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-router-policy", "failover");
    }

    @Test
    void failingExpertFallsBackToTheNextRanked() {
        String id = UpstreamRecorder.PREFIX + "failover";
        alpha().header("x-request-id", id).body(BODY.formatted("failover"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-router-expert", "test-generalist")
                .header("x-router-fallbacks", "1");
        assertThat(upstream.calls(id)).extracting(UpstreamRecorder.Call::expert).containsExactly("always-down", "test-generalist");
    }

    @Test
    void forcedFailingExpertDoesNotFallBack() {
        String id = UpstreamRecorder.PREFIX + "forced-down";
        alpha().header("x-request-id", id).body(BODY.formatted("always-down"))
                .when().post("/v1/chat/completions")
                .then().statusCode(503)
                .header("retry-after", notNullValue())
                .header("x-router-expert", "always-down")
                .body("error.type", equalTo("upstream_error"))
                .body("error.code", equalTo("expert_unavailable"));
        assertThat(upstream.calls(id)).extracting(UpstreamRecorder.Call::expert).containsExactly("always-down");
    }

    @Test
    void unknownFieldsReachTheExpertUnchanged() throws Exception {
        String id = UpstreamRecorder.PREFIX + "unknown-fields";
        JsonNode sent = JSON.readTree("""
                {"model": "auto", "messages": [{"role": "user", "content": "hi"}],
                 "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
                 "tool_choice": "auto", "parallel_tool_calls": false,
                 "response_format": {"type": "json_schema", "json_schema": {"name": "s", "schema": {"type": "object"}}},
                 "metadata": {"x": 1}, "seed": 7, "user": "u-1", "logit_bias": {"42": -100}}
                """);
        alpha().header("x-request-id", id).body(sent.toString()).when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-router-expert", "test-generalist");
        UpstreamRecorder.Call call = upstream.onlyCall(id);
        assertThat(call.expert()).isEqualTo("test-generalist");
        ObjectNode expected = ((ObjectNode) sent).deepCopy();
        expected.put("model", "test-gpt"); // the one field the gateway rewrites: the expert's own model name
        assertThat(call.body()).isEqualTo(expected);
    }

    @Test
    void contentAsArrayOfPartsIsAcceptedAndForwardedAsSent() throws Exception {
        String id = UpstreamRecorder.PREFIX + "content-parts";
        JsonNode messages = JSON.readTree("""
                [{"role": "user", "content": [{"type": "text", "text": "describe"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}]
                """);
        alpha().header("x-request-id", id).body("{\"model\": \"auto\", \"messages\": " + messages + "}")
                .when().post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].message.content", startsWith("[test-generalist]"));
        assertThat(upstream.onlyCall(id).body().get("messages")).isEqualTo(messages);
    }

    @Test
    void streamingAsksTheExpertForUsageAndPassesUnknownFieldsThrough() {
        String id = UpstreamRecorder.PREFIX + "stream-options";
        Response r = alpha().header("x-request-id", id).body("""
                {"model": "auto", "stream": true, "stream_options": {"include_usage": false, "chunk_hint": 3},
                 "tools": [{"type": "function", "function": {"name": "g"}}], "messages": [{"role": "user", "content": "s"}]}
                """).when().post("/v1/chat/completions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(events(r.asString())).last().isEqualTo("[DONE]");
        JsonNode got = upstream.onlyCall(id).body();
        // usage is always asked for upstream (cost must be known), other stream options are the caller's
        assertThat(got.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(got.path("stream_options").path("chunk_hint").asInt()).isEqualTo(3);
        assertThat(got.path("tools").get(0).path("function").path("name").asText()).isEqualTo("g");
        assertThat(events(r.asString())).noneMatch(e -> e.contains("\"usage\""));
    }

    @Test
    void streamingSendsChunksThenDone() {
        Response r = alpha().body("""
                {"model": "auto", "stream": true, "max_tokens": 12, "messages": [{"role": "user", "content": "stream please"}]}
                """).when().post("/v1/chat/completions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("text/event-stream");
        assertThat(r.header("x-router-expert")).isEqualTo("test-generalist");
        List<String> events = events(r.asString());
        assertThat(events).last().isEqualTo("[DONE]");
        assertThat(events.get(0)).contains("\"chat.completion.chunk\"").contains("\"role\":\"assistant\"");
        assertThat(events).noneMatch(e -> e.contains("\"usage\""));
        assertThat(String.join("", events)).contains("\"finish_reason\":\"length\"");
    }

    @Test
    void streamingIncludesUsageWhenAsked() {
        Response r = alpha().body("""
                {"model": "test-med", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "usage please"}]}
                """).when().post("/v1/chat/completions");
        List<String> events = events(r.asString());
        assertThat(events).last().isEqualTo("[DONE]");
        assertThat(events.get(events.size() - 2)).contains("\"usage\"").contains("\"completion_tokens\":12");
    }

    static List<String> events(String sse) {
        return Arrays.stream(sse.split("\n\n"))
                .map(String::trim)
                .filter(s -> s.startsWith("data: "))
                .map(s -> s.substring(6))
                .toList();
    }
}
