package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.expertrouter.GatewayTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** Per-request constraint headers change the decision; unmeetable ones are a 422, never a silent violation. */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class RoutingConstraintsTest {

    private static final String BODY = "{\"model\":\"auto\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

    @Test
    void aCostCeilingMovesTheRequestToACheaperExpert() {
        // test-generalist costs ~0.003 USD for 100 output tokens; test-med ~0.0001
        alpha().body(BODY).post("/v1/chat/completions").then().statusCode(200).header("x-router-expert", "test-generalist");
        alpha().header("x-router-max-cost-usd", "0.001").body(BODY).post("/v1/chat/completions")
                .then().statusCode(200).header("x-router-expert", "test-med");
    }

    @Test
    void theDryRunExplainsWhyAnExpertIsIneligible() {
        alpha().header("x-router-max-cost-usd", "0.001").body(BODY).post("/v1/route").then().statusCode(200)
                .body("expert", equalTo("test-med"))
                .body("candidates.find { it.expert == 'test-generalist' }.eligible", equalTo(false))
                .body("candidates.find { it.expert == 'test-generalist' }.reason", containsString("x-router-max-cost-usd"))
                .body("candidates.find { it.expert == 'test-med' }.est_cost_usd", org.hamcrest.Matchers.lessThan(0.001f));
    }

    @Test
    void anUnmeetableCostCeilingIs422NamingTheHeader() {
        ErrorResponsesTest.error(alpha().header("x-router-max-cost-usd", "0").body(BODY).post("/v1/chat/completions").then(),
                422, "invalid_request_error", "constraint_unmet")
                .body("error.param", equalTo("x-router-max-cost-usd"))
                .body("error.message", containsString("x-router-max-cost-usd"));
    }

    @Test
    void anUnmeetableLatencyCeilingIs422() {
        ErrorResponsesTest.error(alpha().header("x-router-max-latency-ms", "5").body(BODY).post("/v1/chat/completions").then(),
                422, "invalid_request_error", "constraint_unmet")
                .body("error.param", equalTo("x-router-max-latency-ms"));
    }

    @Test
    void theDryRunListsEveryCandidateEvenWhenNoneIsEligible() {
        alpha().header("x-router-max-cost-usd", "0").body(BODY).post("/v1/route").then().statusCode(200)
                .body("expert", equalTo(null))
                .body("candidates.eligible", hasItem(false))
                .body("candidates.size()", equalTo(4));
    }
}
