package dev.expertrouter.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.expertrouter.RoutedTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/scorecard}: admin key only, OpenAI error shape, and the counts a request and its rating add. */
@QuarkusTest
@TestProfile(ObservedGatewayProfile.class)
@Tag(ObservedGatewayProfile.TAG)
class ScorecardResourceTest {

    @Test
    void refusesWithoutTheAdminKeyInTheOpenAiErrorShape() {
        given().get("/admin/scorecard").then().statusCode(401).contentType("application/json")
                .body("error.type", equalTo("authentication_error")).body("error.code", equalTo("invalid_api_key"))
                .body("error.param", nullValue());
        given().header("Authorization", "Bearer " + RoutedTestProfile.DEMO_KEY).get("/admin/scorecard").then()
                .statusCode(403).body("error.type", equalTo("permission_error")).body("error.code", equalTo("admin_key_required"));
        given().header("Authorization", "Bearer sk-wrong").get("/admin/scorecard").then().statusCode(401);
    }

    @Test
    void countsAnAnswerAndARatingThatCorrectsTheDomain() throws Exception {
        String id = RoutedTestProfile.demo().body("""
                {"model": "balanced", "messages": [{"role": "user", "content": "Solve 3x + 7 = 22 for x, showing each step."}]}
                """).post("/v1/chat/completions").then().statusCode(200).extract().header("x-request-id");
        String domain = RoutedTestProfile.demo().body("{\"request_id\": \"" + id + "\", \"score\": 0.25, \"domain\": \"science\"}")
                .post("/v1/feedback").then().statusCode(200).extract().path("corrected_domain");
        // the rating counts in the routed domain; the correction is kept beside it as a training label
        assertThat(domain).isEqualTo("science");
        JsonNode card = scorecard();

        JsonNode math = null;
        for (JsonNode row : card.path("experts")) {
            if (row.path("domain").asText().equals("math") && row.path("corrections").asLong() > 0) {
                math = row;
            }
        }
        assertThat(math).as("a math row with the correction: %s", card).isNotNull();
        assertThat(math.path("rated").asLong()).isGreaterThanOrEqualTo(math.path("corrections").asLong());
        assertThat(math.path("correction_share").asDouble()).isBetween(0.0, 1.0).isPositive();
        assertThat(math.path("answers").asLong()).isPositive();

        JsonNode mix = card.path("class_mix");
        assertThat(mix.path("training_version").asText()).isEqualTo("v4");
        long examples = 0;
        double trafficShares = 0;
        for (JsonNode d : mix.path("domains")) {
            examples += d.path("training_examples").asLong();
            trafficShares += d.path("traffic_share").asDouble();
        }
        assertThat(examples).isEqualTo(1883);
        assertThat(trafficShares).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(card.path("positive_score").asDouble()).isEqualTo(0.5);
    }

    private static JsonNode scorecard() throws Exception {
        String body = given().header("Authorization", "Bearer " + ObservedGatewayProfile.ADMIN_KEY)
                .get("/admin/scorecard").then().statusCode(200).contentType("application/json").extract().asString();
        return new ObjectMapper().readTree(body);
    }
}
