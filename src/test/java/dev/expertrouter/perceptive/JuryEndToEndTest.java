package dev.expertrouter.perceptive;

import static dev.expertrouter.RoutedTestProfile.demo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeStore;
import dev.expertrouter.outcomes.jury.ExpertJudge;
import dev.expertrouter.outcomes.jury.JuryPanel;
import dev.expertrouter.outcomes.jury.JuryService;
import dev.expertrouter.testing.Deadline;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The jury in the running gateway: an answered request is rated by the two simulated judges (called
 * through the gateway like any expert), their average is stored in Redis as feedback of source
 * {@code jury}, the jury's spend stays within its share of the traffic's (the bound itself is
 * tested in JuryPanelTest), and a user's rating
 * afterwards replaces the jury's (a second one is refused).
 */
@QuarkusTest
@Tag("own-jvm-perceptive")
@TestProfile(PerceptiveTestProfile.class)
class JuryEndToEndTest {

    static final String PROMPT = "Which vitamins are fat-soluble, and why does that matter for supplements?";

    @Inject
    OutcomeStore store;
    @Inject
    JuryService jury;

    Feedback storedFeedback(String requestId, Feedback.Source source) {
        AtomicReference<Optional<Feedback>> found = new AtomicReference<>(Optional.empty());
        Deadline.await("feedback of source " + source + " for " + requestId, Duration.ofSeconds(30), () -> {
            found.set(store.feedback(List.of(requestId)).get(0));
            return found.get().filter(f -> f.source() == source).isPresent();
        });
        return found.get().orElseThrow();
    }

    @Test
    void anAnswerIsRatedByTheJuryAndAUsersRatingReplacesItsVerdict() {
        // a dear answer (the big expert, 180 tokens) leaves the jury's budget room, whatever other tests spent before
        Response answer = demo().body("{\"model\": \"big-generalist\", \"max_tokens\": 200, \"messages\": [{\"role\": \"user\", \"content\": \""
                + PROMPT + "\"}]}").post("/v1/chat/completions");
        assertThat(answer.statusCode()).isEqualTo(200);
        String id = answer.header("x-request-id");
        String text = answer.jsonPath().getString("choices[0].message.content");

        Feedback verdict = storedFeedback(id, Feedback.Source.JURY);
        assertThat(verdict.expert()).isEqualTo(answer.header("x-router-expert"));
        // simulated judges vote a score fixed by their id, the prompt and the answer: the stored one is their mean
        String prompt = "user: " + PROMPT;
        double expected = (ExpertJudge.simulatedScore("small-generalist", prompt, text)
                + ExpertJudge.simulatedScore("mid-generalist", prompt, text)) / 2;
        assertThat(verdict.score()).isCloseTo(expected, within(1e-9));
        JuryPanel panel = jury.panel().orElseThrow();
        assertThat(panel.juryUsd()).isPositive().isLessThanOrEqualTo(panel.trafficUsd());

        demo().body("{\"request_id\": \"" + id + "\", \"score\": 0.9}").post("/v1/feedback").then().statusCode(200);
        Feedback user = storedFeedback(id, Feedback.Source.USER);
        assertThat(user.score()).isEqualTo(0.9);
        demo().body("{\"request_id\": \"" + id + "\", \"score\": 0.1}").post("/v1/feedback").then().statusCode(409);
        assertThat(store.feedback(List.of(id)).get(0).orElseThrow().score()).isEqualTo(0.9);
    }
}
