package dev.expertrouter.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.IneligibleReason;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import dev.expertrouter.routing.policy.ExpertStats;
import dev.expertrouter.routing.policy.PolicyEngine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Issue #14's attack on the shipped config (config/): tenant A forces the small generalist and rates
 * every answer 1.0 in medical, or rates the medical expert 0; tenant B's medical prompts must still
 * go to the medical expert, within the medical risk tier.
 */
class FeedbackPoisoningTest {

    private static final double PER_TENANT_CAP = 2;

    private final RouterConfig config = new ConfigLoader(name -> null).load(Path.of("config"));
    private final ExpertStats stats = new ExpertStats(ExpertStats.DEFAULT_OUTPUT_TOKENS, ExpertStats.DEFAULT_LATENCY_ALPHA,
            ExpertStats.DEFAULT_PRIOR_WEIGHT, PER_TENANT_CAP);
    private final FeedbackLearning learning = new FeedbackLearning(stats, tenant -> OptionalDouble.of(1.0));
    private final PolicyEngine engine = new PolicyEngine(ExpertAvailability.ALWAYS, stats);
    private final TenantConfig tenantB = new TenantConfig("tenant-b", List.of("0".repeat(64)), "balanced", List.of(), List.of(),
            dev.expertrouter.config.TenantLimits.NONE);

    private RoutingDecision medicalPromptOfTenantB() {
        Classification medical = new Classification("medical", 0.9, Map.of("medical", 0.9, "general", 0.1), "v4", null);
        PolicyConfig balanced = config.policy("balanced").orElseThrow();
        return engine.select(new RoutingRequest(config, tenantB, balanced, medical, 60, OptionalInt.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), Optional.empty()));
    }

    private static Feedback rating(int i, String expert, String routedDomain, Optional<String> correction, double score) {
        return new Feedback("attack-" + i, "tenant-a", expert, routedDomain, correction, score, Feedback.Source.USER,
                Instant.parse("2026-12-02T12:00:00Z").plusSeconds(i));
    }

    @Test
    void eightyPerfectRatingsOfTheSmallGeneralistInMedicalDoNotPassTheRiskTier() {
        assertThat(medicalPromptOfTenantB().chosen().orElseThrow().expert()).isEqualTo("med-expert");

        for (int i = 0; i < 80; i++) {
            learning.learn(rating(i, "small-generalist", "medical", Optional.empty(), 1.0));
        }

        RoutingDecision d = medicalPromptOfTenantB();
        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("med-expert");
        Candidate small = d.candidates().stream().filter(c -> c.expert().equals("small-generalist")).findFirst().orElseThrow();
        assertThat(small.eligible()).isFalse();
        assertThat(small.reasonCode()).isEqualTo(IneligibleReason.RISK_TIER_MIN_QUALITY);
        // and the learned estimate itself moved by at most the cap's worth: (20 x 0.454 + 2 x 1) / 22
        assertThat(stats.quality("small-generalist", "medical", 0.454)).isCloseTo((20 * 0.454 + 2) / 22, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void fortyZeroRatingsOfTheMedicalExpertDoNotPushItOutForOthers() {
        for (int i = 0; i < 40; i++) {
            learning.learn(rating(i, "med-expert", "medical", Optional.empty(), 0.0));
        }

        RoutingDecision d = medicalPromptOfTenantB();
        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("med-expert");
    }

    @Test
    void aDomainCorrectionIsALabelNotARatingInTheCorrectedDomain() {
        for (int i = 0; i < 80; i++) {
            // answers routed as general, "corrected" to medical and rated 1.0
            assertThat(learning.learn(rating(i, "small-generalist", "general", Optional.of("medical"), 1.0))).isFalse();
        }

        assertThat(stats.feedbackCount("small-generalist", "medical")).isZero();
        assertThat(stats.feedbackCount("small-generalist", "general")).isZero();
        assertThat(medicalPromptOfTenantB().chosen().orElseThrow().expert()).isEqualTo("med-expert");
    }

    @Test
    void manyTenantsTogetherStillMoveTheEstimate() {
        FeedbackLearning perTenant = new FeedbackLearning(stats, tenant -> OptionalDouble.of(1.0));
        for (int t = 0; t < 40; t++) {
            perTenant.learn(new Feedback("r-" + t, "tenant-" + t, "small-generalist", "general", Optional.empty(), 1.0,
                    Feedback.Source.USER, Instant.EPOCH));
        }
        // 40 independent tenants count 40 samples: (20 x 0.605 + 40) / 60
        assertThat(stats.quality("small-generalist", "general", 0.605)).isCloseTo((20 * 0.605 + 40) / 60, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void trustScalesATenantsSamplesAndZeroTrustOrAnUnknownTenantCountsNothing() {
        FeedbackLearning halfTrusted = new FeedbackLearning(stats, tenant -> tenant.equals("tenant-a") ? OptionalDouble.of(0.5)
                : tenant.equals("muted") ? OptionalDouble.of(0) : OptionalDouble.empty());
        halfTrusted.learn(rating(1, "code-expert", "code", Optional.empty(), 0.0));
        // one score at trust 0.5: (20 x 0.829 + 0.5 x 0) / 20.5
        assertThat(stats.quality("code-expert", "code", 0.829)).isCloseTo(20 * 0.829 / 20.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(halfTrusted.learn(new Feedback("m", "muted", "code-expert", "code", Optional.empty(), 0, Feedback.Source.USER, Instant.EPOCH))).isFalse();
        assertThat(halfTrusted.learn(new Feedback("g", "gone", "code-expert", "code", Optional.empty(), 0, Feedback.Source.USER, Instant.EPOCH))).isFalse();
    }
}
