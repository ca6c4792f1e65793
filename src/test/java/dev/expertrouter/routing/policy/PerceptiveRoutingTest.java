package dev.expertrouter.routing.policy;

import static dev.expertrouter.routing.policy.Fixtures.expert;
import static dev.expertrouter.routing.policy.Fixtures.noEscalation;
import static dev.expertrouter.routing.policy.Fixtures.policy;
import static dev.expertrouter.routing.policy.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.IneligibleReason;
import dev.expertrouter.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The policy engine with a quality predictor serving: blending, priors kept, tiers untouched. */
class PerceptiveRoutingTest {

    // strong: 10x dearer, prior 0.9 in medical; cheap: prior 0.5 in medical (fails one sub-topic)
    static final ExpertConfig STRONG = expert("strong", 10, 100, Map.of("medical", 0.90, "general", 0.9));
    static final ExpertConfig CHEAP = expert("cheap", 1, 100, Map.of("medical", 0.50, "general", 0.7));
    static final PolicyConfig.Weights WEIGHTS = new PolicyConfig.Weights(1, 0.1, 0);
    static final Classification MEDICAL = new Classification("medical", 1.0, Map.of("medical", 1.0), "v", new float[] {1f});

    /** Fixed predictions per expert with their evidence. */
    record Fixed(Map<String, Double> p, Map<String, Double> n) implements ExpertQualityEstimator {
        @Override
        public PromptQuality forPrompt(Classification c, int inputTokens) {
            return new PromptQuality() {
                @Override
                public OptionalDouble predicted(String expert) {
                    Double v = p.get(expert);
                    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
                }

                @Override
                public double evidence(String expert) {
                    return n.getOrDefault(expert, 0.0);
                }
            };
        }
    }

    static PolicyEngine engine(ExpertQualityEstimator q) {
        return new PolicyEngine(ExpertAvailability.ALWAYS, new ExpertStats(), q, new QualityBlend(50), new Random(1));
    }

    static Candidate candidate(RoutingDecision d, String id) {
        return d.candidates().stream().filter(c -> c.expert().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void expectedQualityIsThePredictionBlendedWithThePriorByEvidence() {
        var q = new Fixed(Map.of("strong", 0.7, "cheap", 0.95), Map.of("strong", 150.0, "cheap", 950.0));

        RoutingDecision d = engine(q).select(request(List.of(STRONG, CHEAP), policy(WEIGHTS), MEDICAL));

        // strong: (150 x 0.7 + 50 x 0.9) / 200 = 0.75; cheap: (950 x 0.95 + 50 x 0.5) / 1000 = 0.9275
        assertThat(candidate(d, "strong").estQuality()).isCloseTo(0.75, within(1e-12));
        assertThat(candidate(d, "cheap").estQuality()).isCloseTo(0.9275, within(1e-12));
        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("cheap");
        // without a predictor the per-domain priors send every medical prompt to strong (0.9 - 0.1 > 0.5)
        assertThat(engine(ExpertQualityEstimator.NONE).select(request(List.of(STRONG, CHEAP), policy(WEIGHTS), MEDICAL))
                .chosen().orElseThrow().expert()).isEqualTo("strong");
    }

    @Test
    void expertsWithoutFeedbackOrUnknownToThePredictorKeepTheirPriors() {
        ExpertConfig fresh = expert("fresh", 2, 100, Map.of("medical", 0.66));
        // strong predicted but with no evidence; fresh (new in YAML) unknown to the predictor
        var q = new Fixed(Map.of("strong", 0.1, "cheap", 0.9), Map.of("cheap", 200.0));

        RoutingDecision d = engine(q).select(request(List.of(STRONG, CHEAP, fresh), policy(WEIGHTS), MEDICAL));

        assertThat(candidate(d, "strong").estQuality()).isEqualTo(0.90);
        assertThat(candidate(d, "fresh").estQuality()).isEqualTo(0.66);
        assertThat(candidate(d, "cheap").estQuality()).isCloseTo((200 * 0.9 + 50 * 0.5) / 250, within(1e-12));
    }

    @Test
    void anExpertRemovedFromTheConfigIsIgnoredByAServingPredictor() {
        var q = new Fixed(Map.of("gone", 0.99, "cheap", 0.9), Map.of("gone", 5000.0, "cheap", 200.0));

        RoutingDecision d = engine(q).select(request(List.of(STRONG, CHEAP), policy(WEIGHTS), MEDICAL));

        assertThat(d.candidates()).extracting(Candidate::expert).containsExactlyInAnyOrder("strong", "cheap");
    }

    @Test
    void riskTiersAndTheMinQualityLimitJudgeByTheConfiguredQualityNotPredictions() {
        var q = new Fixed(Map.of("cheap", 0.99), Map.of("cheap", 1e6));
        PolicyConfig tiered = policy(WEIGHTS, PolicyConfig.Limits.NONE, noEscalation(),
                List.of(new PolicyConfig.RiskTier(List.of("medical"), 0.3, 0.8, List.of())));
        PolicyConfig floored = policy(WEIGHTS, new PolicyConfig.Limits(OptionalDouble.empty(), java.util.OptionalLong.empty(),
                0.8), noEscalation(), List.of());

        Candidate underTier = candidate(engine(q).select(request(List.of(STRONG, CHEAP), tiered, MEDICAL)), "cheap");
        Candidate underFloor = candidate(engine(q).select(request(List.of(STRONG, CHEAP), floored, MEDICAL)), "cheap");

        assertThat(underTier.estQuality()).isGreaterThan(0.98);
        assertThat(underTier.eligible()).isFalse();
        assertThat(underTier.reasonCode()).isEqualTo(IneligibleReason.RISK_TIER_MIN_QUALITY);
        assertThat(underFloor.eligible()).isFalse();
        assertThat(underFloor.reasonCode()).isEqualTo(IneligibleReason.POLICY_MIN_QUALITY);
    }

    @Test
    void withoutARouterVerdictThePredictorIsNotConsulted() {
        List<Classification> asked = new ArrayList<>();
        ExpertQualityEstimator spy = (c, tokens) -> {
            asked.add(c);
            return ExpertQualityEstimator.PromptQuality.NONE;
        };

        engine(spy).select(request(List.of(STRONG, CHEAP), policy(WEIGHTS), Classification.unknown()));
        engine(spy).select(request(List.of(STRONG, CHEAP), policy(WEIGHTS), MEDICAL));

        assertThat(asked).containsExactly(MEDICAL);
    }

    @Test
    void theBlendRefusesANegativeOrInfinitePriorWeight() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new QualityBlend(-1))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new QualityBlend(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new QualityBlend(0).blend(0.3, 0, 0.8)).isEqualTo(0.8);
        assertThat(new QualityBlend(0).blend(0.3, 10, 0.8)).isEqualTo(0.3);
    }
}
