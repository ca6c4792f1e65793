package dev.expertrouter.perceptive;

import static dev.expertrouter.RoutedTestProfile.demo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.OutcomeStore;
import dev.expertrouter.testing.Deadline;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A request the exploring policy explored is answered by a non-top expert, and its outcome, as
 * stored in the outcome log (Redis), says {@code exploration: true}; one the policy did not explore
 * says false. The exploration draw is forced ({@link ForcedExploration}), so this is deterministic.
 */
@QuarkusTest
@Tag("own-jvm-perceptive")
@TestProfile(PerceptiveTestProfile.class)
class ExplorationEndToEndTest {

    static final String PROMPT = "Explain how compound interest differs from simple interest, with an example.";

    @Inject
    OutcomeStore store;

    static String body(String model, String prompt) {
        return "{\"model\": \"" + model + "\", \"max_tokens\": 8, \"messages\": [{\"role\": \"user\", \"content\": \"" + prompt + "\"}]}";
    }

    OutcomeRecord stored(String requestId) {
        return stored(store, requestId);
    }

    /** The outcome of {@code requestId} once it is in the outcome log, waiting for it with a deadline. */
    static OutcomeRecord stored(OutcomeStore store, String requestId) {
        AtomicReference<Optional<OutcomeRecord>> found = new AtomicReference<>(Optional.empty());
        Deadline.await("the outcome of " + requestId + " in Redis", () -> {
            found.set(store.outcome(requestId));
            return found.get().isPresent();
        });
        return found.get().orElseThrow();
    }

    @Test
    void anExploredRequestsStoredOutcomeIsMarkedExploration() {
        String top = demo().body(body("exploring", PROMPT)).post("/v1/route").then().statusCode(200).extract()
                .jsonPath().getString("expert");

        Response explored = demo().body(body("exploring", PROMPT)).post("/v1/chat/completions");
        assertThat(explored.statusCode()).isEqualTo(200);
        String expert = explored.header("x-router-expert");
        assertThat(expert).isNotEqualTo(top);
        OutcomeRecord o = stored(explored.header("x-request-id"));
        assertThat(o.exploration()).isTrue();
        assertThat(o.expert()).isEqualTo(expert);
        assertThat(o.policy()).isEqualTo("exploring");
        assertThat(o.candidates()).contains(top);
    }

    @Test
    void aRequestThePolicyDidNotExploreIsNotMarked() {
        Response routed = demo().body(body("balanced", PROMPT)).post("/v1/chat/completions");
        assertThat(routed.statusCode()).isEqualTo(200);
        OutcomeRecord o = stored(routed.header("x-request-id"));
        assertThat(o.exploration()).isFalse();
        assertThat(o.policy()).isEqualTo("balanced");
    }
}
