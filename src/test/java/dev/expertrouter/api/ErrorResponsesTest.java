package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.expertrouter.GatewayTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
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
