package dev.expertrouter.outcomes;

import static dev.expertrouter.RoutedTestProfile.demo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.RoutedTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #14's attack through the HTTP surface, on the shipped config and router model with a
 * private Redis: 80 calls forced to the small generalist, each rated 1.0 in medical, do not make it
 * eligible for medical prompts past the medical risk tier.
 */
@QuarkusTest
@TestProfile(RoutedTestProfile.class)
class FeedbackPoisoningEndToEndTest {

    private static final String MEDICAL = "What is the recommended dosage of amoxicillin for a child with an acute ear infection?";

    private static String chat(String model, String id) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"" + MEDICAL + " (" + id + ")\"}]}";
    }

    @Test
    void perfectRatingsOfTheSmallGeneralistInMedicalDoNotPassTheRiskTier() {
        for (int i = 0; i < 80; i++) {
            String id = "poison-" + i;
            demo().header("x-request-id", id).body(chat("small-generalist", id)).post("/v1/chat/completions").then().statusCode(200);
            // 200, or 409 never: each request is rated once
            demo().body("{\"request_id\":\"" + id + "\",\"score\":1.0,\"domain\":\"medical\"}").post("/v1/feedback").then().statusCode(200);
        }

        JsonPath route = demo().body(chat("auto", "victim")).post("/v1/route").then().statusCode(200).extract().jsonPath();

        assertThat(route.getString("domain")).isEqualTo("medical");
        assertThat(route.getString("expert")).isEqualTo("med-expert");
        List<Map<String, Object>> candidates = route.getList("candidates");
        Map<String, Object> small = candidates.stream().filter(c -> "small-generalist".equals(c.get("expert"))).findFirst().orElseThrow();
        assertThat(small.get("eligible")).isEqualTo(false);
        assertThat((String) small.get("reason")).contains("risk tier");
    }
}
