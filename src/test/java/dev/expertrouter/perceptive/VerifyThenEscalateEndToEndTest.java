package dev.expertrouter.perceptive;

import static dev.expertrouter.RoutedTestProfile.demo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.OutcomeStore;
import dev.expertrouter.routing.quality.AnswerChecks;
import dev.expertrouter.routing.quality.AnswerVerifier;
import dev.expertrouter.routing.quality.AnswerVerifierFiles;
import dev.expertrouter.routing.serving.ServingVerifiers;
import dev.expertrouter.testing.ScriptedExperts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Verify-then-escalate through HTTP: policy {@code verifying} drafts with the small generalist and
 * a verifier (installed here: it rejects an answer without a final-answer marker) judges the
 * draft's answer. A rejected draft is escalated to the policy's top expert, both paid for, and
 * the stored outcome says so; an accepted one is the answer. Streams and a draft without a
 * serving verifier route as the policy does without verification.
 */
@QuarkusTest
@Tag("own-jvm-perceptive")
@TestProfile(PerceptiveTestProfile.class)
class VerifyThenEscalateEndToEndTest {

    static final String PROMPT = "A baker sells 12 loaves a day for 3 days at 4 dollars each. How many dollars does he make?";
    static final String DRAFT = "small-generalist";
    static final String MARKED = "12 * 3 = 36 loaves, 36 * 4 = 144 dollars.\n#### 144";
    static final String UNMARKED = "He probably makes something like a hundred dollars, depending on the day.";

    @Inject
    OutcomeStore store;
    @Inject
    ServingVerifiers verifiers;
    @Inject
    ScriptedExperts experts;
    @Inject
    ConfigHolder config;

    /** Rejects answers without a final-answer marker (P(good) = 0.02), accepts those with one (0.98). */
    static AnswerVerifier markerVerifier() {
        double[] w = new double[AnswerChecks.FEATURES.size()];
        w[AnswerChecks.FEATURES.indexOf("no_final_marker")] = -8;
        return new AnswerVerifier(DRAFT, AnswerChecks.FEATURES, w, 4, 500);
    }

    @BeforeEach
    void serveVerifier() {
        verifiers.serve(Map.of(DRAFT, new AnswerVerifierFiles.Entry(markerVerifier(), "test", MissingNode.getInstance())));
    }

    @AfterEach
    void noVerifier() {
        verifiers.serve(Map.of());
    }

    static String body(boolean stream) {
        return "{\"model\": \"verifying\", \"stream\": " + stream + ", \"messages\": [{\"role\": \"user\", \"content\": \""
                + PROMPT + "\"}]}";
    }

    String top() {
        return demo().body(body(false)).post("/v1/route").then().statusCode(200).extract().jsonPath().getString("expert");
    }

    /** The expert {@code /v1/route} says would be asked first, or null. */
    String draftOf(boolean stream) {
        return demo().body(body(stream)).post("/v1/route").then().statusCode(200).extract().jsonPath().getString("draft");
    }

    OutcomeRecord stored(String requestId) {
        return ExplorationEndToEndTest.stored(store, requestId);
    }

    String scripted(String draftSays, String topSays, String top) {
        String id = "scripted-" + UUID.randomUUID();
        experts.script(id, Map.of(DRAFT, draftSays, top, topSays));
        return id;
    }

    double cost(String expert) {
        return config.current().expert(expert).orElseThrow().price().costUsd(ScriptedExperts.PROMPT_TOKENS,
                ScriptedExperts.COMPLETION_TOKENS);
    }

    @Test
    void aDraftAnswerTheVerifierRejectsIsEscalatedToTheTopExpertAndBothArePaidFor() {
        String top = top();
        assertThat(top).isNotEqualTo(DRAFT);
        assertThat(draftOf(false)).isEqualTo(DRAFT);
        String id = scripted(UNMARKED, MARKED, top);

        Response r = demo().header("x-request-id", id).body(body(false)).post("/v1/chat/completions");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("x-router-expert")).isEqualTo(top);
        assertThat(r.header("x-router-verifier")).isEqualTo("rejected");
        assertThat(r.header("x-router-fallbacks")).isEqualTo("1");
        assertThat(r.jsonPath().getString("choices[0].message.content")).isEqualTo(MARKED);
        assertThat(experts.called(id)).containsExactly(DRAFT, top);
        OutcomeRecord o = stored(id);
        assertThat(o.expert()).isEqualTo(top);
        assertThat(o.fallbacks()).containsExactly(new OutcomeRecord.Fallback(DRAFT, "verifier_rejected"));
        assertThat(o.costUsd()).isCloseTo(cost(DRAFT) + cost(top), within(1e-12));
        // only a draft expert's answers are checked for the record: no policy drafts with the top one
        assertThat(o.answerChecks()).isNull();
    }

    @Test
    void aDraftAnswerTheVerifierAcceptsIsTheAnswer() {
        String top = top();
        String id = scripted(MARKED, "the top expert should not be asked", top);

        Response r = demo().header("x-request-id", id).body(body(false)).post("/v1/chat/completions");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("x-router-expert")).isEqualTo(DRAFT);
        assertThat(r.header("x-router-verifier")).isEqualTo("accepted");
        assertThat(r.header("x-router-fallbacks")).isEqualTo("0");
        assertThat(experts.called(id)).containsExactly(DRAFT);
        OutcomeRecord o = stored(id);
        assertThat(o.fallbacks()).isEmpty();
        assertThat(o.costUsd()).isCloseTo(cost(DRAFT), within(1e-12));
        // the draft's answer, checked for its verifier's training
        assertThat(o.answerChecks()).hasSize(AnswerChecks.FEATURES.size());
        assertThat(o.answerChecks()[AnswerChecks.FEATURES.indexOf("no_final_marker")]).isZero();
    }

    @Test
    void aForcedAnswerOfTheDraftExpertIsNotVerifiedButIsCheckedForTheRecord() {
        String id = scripted(UNMARKED, MARKED, "big-generalist");

        Response r = demo().header("x-request-id", id)
                .body("{\"model\": \"" + DRAFT + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + PROMPT + "\"}]}")
                .post("/v1/chat/completions");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("x-router-expert")).isEqualTo(DRAFT);
        assertThat(r.header("x-router-verifier")).isNull();
        assertThat(experts.called(id)).containsExactly(DRAFT);
        OutcomeRecord o = stored(id);
        assertThat(o.forced()).isTrue();
        // rated later, it teaches the draft's verifier: forced answers are evidence too
        assertThat(o.answerChecks()[AnswerChecks.FEATURES.indexOf("no_final_marker")]).isEqualTo(1.0);
    }

    @Test
    void theServingVerifiersAreListedWithTheVersions() {
        assertThat(PerceptiveReleasesTest.admin().get("/admin/router/versions").then().statusCode(200).extract().jsonPath().getList("verifiersServing"))
                .containsExactly(DRAFT);
        verifiers.serve(Map.of());
        assertThat(PerceptiveReleasesTest.admin().get("/admin/router/versions").then().statusCode(200).extract().jsonPath().getList("verifiersServing"))
                .isEmpty();
    }

    @Test
    void withoutAServingVerifierThePolicyRoutesAsItWouldWithoutVerification() {
        verifiers.serve(Map.of());
        String top = top();
        assertThat(draftOf(false)).isNull();
        String id = scripted(UNMARKED, MARKED, top);

        Response r = demo().header("x-request-id", id).body(body(false)).post("/v1/chat/completions");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("x-router-expert")).isEqualTo(top);
        assertThat(r.header("x-router-verifier")).isNull();
        assertThat(experts.called(id)).containsExactly(top);
    }

    @Test
    void aStreamedAnswerCannotBeTakenBackSoItIsNotDrafted() {
        String top = top();
        assertThat(draftOf(true)).isNull();
        String id = "stream-" + UUID.randomUUID();

        Response r = demo().header("x-request-id", id).body(body(true)).post("/v1/chat/completions");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("x-router-expert")).isEqualTo(top);
        assertThat(r.header("x-router-verifier")).isNull();
        assertThat(r.asString()).contains("data: [DONE]");
        OutcomeRecord o = stored(id);
        assertThat(o.stream()).isTrue();
        assertThat(o.answerChecks()).isNull();
        assertThat(List.copyOf(o.fallbacks())).isEmpty();
    }
}
