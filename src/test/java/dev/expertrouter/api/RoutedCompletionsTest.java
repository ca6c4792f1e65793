package dev.expertrouter.api;

import static dev.expertrouter.RoutedTestProfile.demo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;

import dev.expertrouter.RoutedTestProfile;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.testing.CapturedOutcomes;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The learned router deciding `auto` in the shipped demo configuration. */
@QuarkusTest
@TestProfile(RoutedTestProfile.class)
class RoutedCompletionsTest {

    private static String body(String model, String content) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    private static String servingVersion() throws Exception {
        return Files.readString(Path.of("router-models/current")).trim();
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "I have had chest pain and shortness of breath since this morning, should I see a doctor? | medical",
            "Write a Python function that reverses a linked list in place.                               | code",
            "Can my landlord keep my security deposit if I break the lease early?                         | legal",
            "Solve for x: 3x^2 - 12x + 9 = 0                                                              | math",
    })
    void theRouterNamesTheDomainAndTheVersionThatDecided(String prompt, String domain) throws Exception {
        Response r = demo().body(body("auto", prompt)).post("/v1/chat/completions");
        r.then().statusCode(200)
                .header("x-router-domain", domain)
                .header("x-router-version", servingVersion())
                .header("x-router-expert", not(equalTo("")));
        assertThat(Double.parseDouble(r.header("x-router-confidence"))).isBetween(0.0, 1.0).isGreaterThan(0.3);
    }

    @Test
    void theDryRunReturnsScoresThatSumToOneAndEveryCandidate() throws Exception {
        JsonPath json = demo().body(body("auto", "What dosage of ibuprofen is safe for a child with fever?"))
                .post("/v1/route").then().statusCode(200)
                .body("domain", equalTo("medical"))
                .body("router_version", equalTo(servingVersion()))
                .body("candidates.size()", greaterThan(8))
                .extract().jsonPath();
        Map<String, Float> scores = json.getMap("scores");
        assertThat(scores.keySet()).contains("medical", "legal", "finance", "code", "math", "science", "humanities", "general");
        assertThat(scores.values().stream().mapToDouble(Float::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(json.getDouble("confidence")).isEqualTo(scores.get("medical").doubleValue(), org.assertj.core.data.Offset.offset(1e-6));
        // the risk tier keeps medical prompts on experts with medical quality >= 0.80
        assertThat(json.getString("expert")).isIn("med-expert", "big-generalist");
    }

    @Inject
    CapturedOutcomes outcomes;

    @Test
    void aForcedExpertIsAnsweredWithoutClassifyingAndClassifiedForTheRecordAfterwards() throws Exception {
        demo().header("x-request-id", "forced-for-the-record")
                .body(body("small-generalist", "Is this mole dangerous? It is dark and has grown."))
                .post("/v1/chat/completions").then().statusCode(200)
                .header("x-router-expert", "small-generalist")
                .header("x-router-domain", "unknown")
                .header("x-router-version", servingVersion());
        OutcomeRecord o = outcomes.await("forced-for-the-record", java.time.Duration.ofSeconds(20));
        assertThat(o.forced()).isTrue();
        assertThat(o.domain()).isEqualTo("medical");
        assertThat(o.embedding()).hasSize(384);
        assertThat(o.routerVersion()).isEqualTo(servingVersion());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty user turn          | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}",
            "whitespace user turn     | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"   \\n\\t \"}]}",
            "only a system message    | {\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a tax advisor.\"}]}",
            "non-Latin and emoji      | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Какой налог на прибыль? 税金はいくらですか 🤔💰\"}]}",
            "tool call and result     | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"18C sunny\"}]}",
            "array of text parts      | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Explain this contract clause:\"},{\"type\":\"text\",\"text\":\"The lessee shall indemnify the lessor.\"}]}]}",
    })
    void awkwardPromptsGetARouteNeverA500(String name, String body) throws Exception {
        Response r = demo().body(body).post("/v1/chat/completions");
        assertThat(r.statusCode()).isEqualTo(200);
        // routed by the served model (its version answers), to an expert that answered
        assertThat(r.header("x-router-version")).isEqualTo(servingVersion());
        assertThat(r.header("x-router-expert")).isNotBlank();
        assertThat(r.jsonPath().getString("choices[0].message.content")).startsWith("[" + r.header("x-router-expert") + "]");
    }

    @Test
    void aHundredKilobytePromptIsRouted() {
        String big = "The patient reports recurring migraines with aura. ".repeat(2000);
        assertThat(big.length()).isGreaterThan(100_000);
        demo().body(body("auto", big)).post("/v1/route").then().statusCode(200).body("domain", equalTo("medical"));
    }
}
