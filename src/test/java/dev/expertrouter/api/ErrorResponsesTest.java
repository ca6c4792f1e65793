package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.testing.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every bad input is a clear 4xx in the OpenAI error shape: never a 500, never a stack trace. */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class ErrorResponsesTest {

    private static final String OK_MESSAGES = "[{\"role\": \"user\", \"content\": \"hi\"}]";

    static ValidatableResponse error(ValidatableResponse r, int status, String type, String code) {
        return r.statusCode(status)
                .contentType(ContentType.JSON)
                .body("error.type", equalTo(type))
                .body("error.code", equalTo(code))
                .body("error.message", not(containsString("Exception")))
                .body("error.message", not(containsString("at dev.")));
    }

    @Test
    void missingKeyIs401() {
        error(given().contentType(ContentType.JSON).body("{\"model\":\"auto\",\"messages\":" + OK_MESSAGES + "}")
                .post("/v1/chat/completions").then(), 401, "authentication_error", "invalid_api_key");
    }

    @Test
    void wrongKeyIs401() {
        error(given().header("Authorization", "Bearer sk-wrong").contentType(ContentType.JSON)
                .body("{\"model\":\"auto\",\"messages\":" + OK_MESSAGES + "}")
                .post("/v1/chat/completions").then(), 401, "authentication_error", "invalid_api_key");
        error(given().header("Authorization", "Basic abc").get("/v1/models").then(), 401, "authentication_error", "invalid_api_key");
    }

    @Test
    void unknownModelIs404() {
        error(alpha().body("{\"model\":\"gpt-9000\",\"messages\":" + OK_MESSAGES + "}").post("/v1/chat/completions").then(),
                404, "invalid_request_error", "unknown_model").body("error.param", equalTo("model"));
    }

    @Test
    void unknownPolicyHeaderIs404() {
        error(alpha().header("x-router-policy", "nope").body("{\"model\":\"auto\",\"messages\":" + OK_MESSAGES + "}")
                .post("/v1/chat/completions").then(), 404, "invalid_request_error", "unknown_policy");
    }

    @Test
    void restrictedTenantCannotUseOtherPoliciesOrExperts() {
        error(given().header("Authorization", "Bearer " + GatewayTestProfile.BETA_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"failover\",\"messages\":" + OK_MESSAGES + "}").post("/v1/chat/completions").then(),
                403, "permission_error", "policy_not_allowed");
        error(given().header("Authorization", "Bearer " + GatewayTestProfile.BETA_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"always-down\",\"messages\":" + OK_MESSAGES + "}").post("/v1/chat/completions").then(),
                403, "permission_error", "expert_not_allowed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json                     | {bad                                                         | invalid_json",
            "array body                   | [1, 2]                                                       | invalid_json",
            "empty body                   | ''                                                           | invalid_json",
            "missing model                | {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}  | missing_required_parameter",
            "model not a string           | {\"model\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | invalid_type",
            "missing messages             | {\"model\": \"auto\"}                                        | missing_required_parameter",
            "messages not an array        | {\"model\": \"auto\", \"messages\": \"hi\"}                  | invalid_type",
            "empty messages               | {\"model\": \"auto\", \"messages\": []}                      | empty_array",
            "bad role                     | {\"model\": \"auto\", \"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]} | invalid_value",
            "content a number             | {\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": 42}]} | invalid_type",
            "stream not boolean           | {\"model\": \"auto\", \"stream\": \"yes\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | invalid_type",
            "negative max_tokens          | {\"model\": \"auto\", \"max_tokens\": -1, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | invalid_value",
            "temperature out of range     | {\"model\": \"auto\", \"temperature\": 7, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | invalid_value",
    })
    void malformedBodiesAre400(String name, String body, String code) {
        error(alpha().body(body).post("/v1/chat/completions").then(), 400, "invalid_request_error", code);
    }

    private static byte[] withBytes(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(c, 0, out, a.length + middle.length, c.length);
        return out;
    }

    /** Bodies the JSON parser itself refuses: what the client reads names neither the parser nor its settings. */
    @Test
    void jsonTheParserRefusesIs400WithoutNamingTheParser() {
        String head = "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"";
        String tail = "\"}]}";
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("nested 5000 deep", ("{\"model\": \"auto\", \"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}")
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("nested objects 100 deep", ("{\"model\": \"auto\", \"x\": " + "{\"a\": ".repeat(100) + "1" + "}".repeat(100) + "}")
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("a 5000-digit integer", ("{\"model\": \"auto\", \"n\": " + "9".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8));
        bodies.put("a 5000-digit fraction", ("{\"model\": \"auto\", \"temperature\": 0." + "1".repeat(5000) + "}")
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("a lone continuation byte", withBytes(head, new byte[] {(byte) 0x80}, tail));
        bodies.put("a truncated 2-byte sequence", withBytes(head, new byte[] {(byte) 0xC3, (byte) 0x28}, tail));
        bodies.put("an overlong NUL", withBytes(head, new byte[] {(byte) 0xC0, (byte) 0x80}, tail));
        bodies.put("an encoded surrogate", withBytes(head, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, tail));
        bodies.put("a byte UTF-8 never holds", withBytes(head, new byte[] {(byte) 0xFF, (byte) 0xFE}, tail));
        bodies.put("a truncated body", ("{\"model\": \"auto\", \"messages\": [{\"role\": ").getBytes(StandardCharsets.UTF_8));
        bodies.put("a control character in a string", withBytes(head, new byte[] {0x01}, tail));
        try (LogCapture log = LogCapture.start()) {
            for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
                Response r = alpha().body(body.getValue()).post("/v1/chat/completions");
                assertThat(r.statusCode()).as(body.getKey() + ": " + r.asString()).isEqualTo(400);
                String message = error(r.then(), 400, "invalid_request_error", "invalid_json").extract().jsonPath().getString("error.message");
                assertThat(message).as(body.getKey()).startsWith("request body ");
                assertThat(message.toLowerCase(java.util.Locale.ROOT)).as(body.getKey() + ": " + message)
                        .doesNotContain("jackson").doesNotContain("fasterxml").doesNotContain("streamreadconstraints")
                        .doesNotContain("exception").doesNotContain("maxnesting").doesNotContain("getmax")
                        .doesNotContain("source:").doesNotContain("`");
            }
            log.assertNoStackTrace();
        }
    }

    @Test
    void malformedConstraintHeadersAre400() {
        String body = "{\"model\":\"auto\",\"messages\":" + OK_MESSAGES + "}";
        error(alpha().header("x-router-max-cost-usd", "-1").body(body).post("/v1/chat/completions").then(),
                400, "invalid_request_error", "invalid_header").body("error.param", equalTo("x-router-max-cost-usd"));
        error(alpha().header("x-router-max-cost-usd", "cheap").body(body).post("/v1/chat/completions").then(),
                400, "invalid_request_error", "invalid_header");
        error(alpha().header("x-router-max-latency-ms", "0").body(body).post("/v1/chat/completions").then(),
                400, "invalid_request_error", "invalid_header");
    }

    @Test
    void oversizedBodyIs413() {
        String big = "x".repeat(300_000);
        error(alpha().body("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}")
                .post("/v1/chat/completions").then(), 413, "invalid_request_error", "body_too_large");
    }

    @Test
    void unknownEndpointIs404InErrorShape() {
        error(alpha().get("/v1/nothing-here").then(), 404, "invalid_request_error", "unknown_endpoint");
    }
}
