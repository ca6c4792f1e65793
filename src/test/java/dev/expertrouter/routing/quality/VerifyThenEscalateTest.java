package dev.expertrouter.routing.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.Price;
import dev.expertrouter.config.SimulatedConfig;
import dev.expertrouter.routing.ChatPrompt;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** When verify-then-escalate runs for a request, in what order it asks the experts, and how it judges. */
class VerifyThenEscalateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExpertConfig BIG = expert("big");
    private static final ExpertConfig MID = expert("mid");
    private static final ExpertConfig SMALL = expert("small");
    private static final PolicyConfig.Verification DRAFT_SMALL = new PolicyConfig.Verification("small", 0.5);
    private static final ChatPrompt PROMPT = new ChatPrompt(List.of(new ChatPrompt.Turn("system", "Be brief. 99 rules."),
            new ChatPrompt.Turn("user", "What is 12 times 3?")));

    /** P(good) 0.02 without a final-answer marker, 0.98 with one. */
    static AnswerVerifier markerVerifier(String expert) {
        double[] w = new double[AnswerChecks.FEATURES.size()];
        w[AnswerChecks.FEATURES.indexOf("no_final_marker")] = -8;
        return new AnswerVerifier(expert, AnswerChecks.FEATURES, w, 4, 100);
    }

    private static final Function<String, Optional<AnswerVerifier>> SMALL_VERIFIED =
            id -> id.equals("small") ? Optional.of(markerVerifier(id)) : Optional.empty();

    @Test
    void theDraftGoesFirstThenThePolicysRankingWithoutIt() {
        VerifyThenEscalate plan = VerifyThenEscalate.plan(DRAFT_SMALL, false, false, List.of(BIG, SMALL, MID), SMALL_VERIFIED)
                .orElseThrow();
        assertThat(plan.ranked()).containsExactly(SMALL, BIG, MID);
        assertThat(plan.draft()).isEqualTo("small");
    }

    @Test
    void itRunsOnlyForAWholeRoutedAnswerWithAnEligibleDraftAnotherExpertAndAServingVerifier() {
        List<ExpertConfig> ranked = List.of(BIG, SMALL);
        assertThat(VerifyThenEscalate.plan(PolicyConfig.Verification.NONE, false, false, ranked, SMALL_VERIFIED)).isEmpty();
        assertThat(VerifyThenEscalate.plan(DRAFT_SMALL, true, false, ranked, SMALL_VERIFIED)).as("forced").isEmpty();
        assertThat(VerifyThenEscalate.plan(DRAFT_SMALL, false, true, ranked, SMALL_VERIFIED)).as("streamed").isEmpty();
        assertThat(VerifyThenEscalate.plan(DRAFT_SMALL, false, false, List.of(BIG, MID), SMALL_VERIFIED))
                .as("draft not eligible").isEmpty();
        assertThat(VerifyThenEscalate.plan(DRAFT_SMALL, false, false, List.of(SMALL), SMALL_VERIFIED))
                .as("nobody to escalate to").isEmpty();
        assertThat(VerifyThenEscalate.plan(DRAFT_SMALL, false, false, ranked, id -> Optional.empty()))
                .as("no verifier serving").isEmpty();
    }

    @Test
    void theVerdictComparesTheVerifiersProbabilityWithThePolicysThreshold() {
        VerifyThenEscalate plan = VerifyThenEscalate.plan(DRAFT_SMALL, false, false, List.of(BIG, SMALL), SMALL_VERIFIED)
                .orElseThrow();
        VerifyThenEscalate.Verdict good = plan.judge(PROMPT, answer("12 * 3 = 36\n#### 36"));
        VerifyThenEscalate.Verdict bad = plan.judge(PROMPT, answer("Probably around thirty."));
        assertThat(good.accepted()).isTrue();
        assertThat(good.probabilityGood()).isGreaterThan(0.9);
        assertThat(bad.accepted()).isFalse();
        assertThat(bad.probabilityGood()).isLessThan(0.1);
        // the checks read the last user turn as the prompt, not the system turn
        assertThat(good.checks()).containsExactly(AnswerChecks.of("What is 12 times 3?", "12 * 3 = 36\n#### 36"));

        VerifyThenEscalate strict = new VerifyThenEscalate(plan.ranked(), plan.verifier(), 0.99);
        assertThat(strict.judge(PROMPT, answer("12 * 3 = 36\n#### 36")).accepted()).isFalse();
    }

    @Test
    void anAnswerWithoutTextIsNotJudged() {
        VerifyThenEscalate plan = VerifyThenEscalate.plan(DRAFT_SMALL, false, false, List.of(BIG, SMALL), SMALL_VERIFIED)
                .orElseThrow();
        ObjectNode toolCall = JSON.createObjectNode();
        toolCall.putArray("choices").addObject().putObject("message").putNull("content");
        VerifyThenEscalate.Verdict v = plan.judge(PROMPT, toolCall);
        assertThat(v.accepted()).isTrue();
        assertThat(v.checks()).isNull();
        assertThat(VerifyThenEscalate.checks(PROMPT, toolCall)).isNull();
    }

    private static JsonNode answer(String content) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("choices").addObject().putObject("message").put("role", "assistant").put("content", content);
        return root;
    }

    private static ExpertConfig expert(String id) {
        return new ExpertConfig(id, "", id, null, Map.of(), Price.FREE, Map.of(), 100, 8192, 30_000, 64,
                Optional.of(SimulatedConfig.DEFAULTS));
    }
}
