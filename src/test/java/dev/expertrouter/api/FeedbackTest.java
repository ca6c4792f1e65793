package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.outcomes.OutcomeStore;
import dev.expertrouter.routing.policy.ExpertStats;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class FeedbackTest {

    @Inject
    ExpertStats stats;

    @Inject
    OutcomeStore feedback;

    private static void answered(String requestId, String model, int status) {
        alpha().header("x-request-id", requestId)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"rate me\"}]}")
                .post("/v1/chat/completions").then().statusCode(status);
    }

    @Test
    void aDomainCorrectionIsStoredAsALabelAndRatesNoDomain() {
        answered("fb-1", "test-med", 200);
        double before = stats.quality("test-med", "legal", 0.5);
        alpha().body("{\"request_id\":\"fb-1\",\"score\":0.0,\"domain\":\"legal\"}").post("/v1/feedback").then().statusCode(200)
                .body("expert", equalTo("test-med")).body("domain", equalTo("unknown")).body("corrected_domain", equalTo("legal"))
                .body("accepted", equalTo(true));
        assertThat(stats.quality("test-med", "legal", 0.5)).isEqualTo(before);
        assertThat(stats.feedbackCount("test-med", "legal")).isZero();
        // kept in Redis for retraining, with the correction
        assertThat(feedback.feedback(List.of("fb-1")).get(0)).hasValueSatisfying(f -> {
            assertThat(f.correctedDomain()).hasValue("legal");
            assertThat(f.tenant()).isEqualTo("alpha");
        });
    }

    @Test
    void oneFeedbackPerRequest() {
        answered("fb-2", "test-med", 200);
        alpha().body("{\"request_id\":\"fb-2\",\"score\":1}").post("/v1/feedback").then().statusCode(200);
        ErrorResponsesTest.error(alpha().body("{\"request_id\":\"fb-2\",\"score\":1}").post("/v1/feedback").then(),
                409, "invalid_request_error", "feedback_exists");
    }

    @Test
    void unknownOrForeignRequestIdsAre404() {
        ErrorResponsesTest.error(alpha().body("{\"request_id\":\"never-sent\",\"score\":1}").post("/v1/feedback").then(),
                404, "invalid_request_error", "unknown_request_id");
        answered("fb-3", "test-med", 200);
        ErrorResponsesTest.error(given().header("Authorization", "Bearer " + GatewayTestProfile.BETA_KEY)
                .body("{\"request_id\":\"fb-3\",\"score\":1}").post("/v1/feedback").then(),
                404, "invalid_request_error", "unknown_request_id");
    }

    @Test
    void aFailedRequestHasNoAnswerToRate() {
        answered("fb-4", "always-down", 503);
        ErrorResponsesTest.error(alpha().body("{\"request_id\":\"fb-4\",\"score\":1}").post("/v1/feedback").then(),
                422, "invalid_request_error", "no_answer_to_rate");
    }

    @Test
    void badFeedbackBodiesAre400() {
        ErrorResponsesTest.error(alpha().body("{\"score\":1}").post("/v1/feedback").then(), 400, "invalid_request_error", "missing_required_parameter");
        ErrorResponsesTest.error(alpha().body("{\"request_id\":\"x\",\"score\":1.5}").post("/v1/feedback").then(), 400, "invalid_request_error", "invalid_value");
        ErrorResponsesTest.error(alpha().body("{\"request_id\":\"x\",\"score\":\"good\"}").post("/v1/feedback").then(), 400, "invalid_request_error", "invalid_value");
        ErrorResponsesTest.error(alpha().body("{\"request_id\":\"x\",\"score\":1,\"domain\":\"astrology\"}").post("/v1/feedback").then(), 400, "invalid_request_error", "invalid_value");
        ErrorResponsesTest.error(alpha().body("not json").post("/v1/feedback").then(), 400, "invalid_request_error", "invalid_json");
        ErrorResponsesTest.error(given().body("{}").post("/v1/feedback").then(), 401, "authentication_error", "invalid_api_key");
    }
}
