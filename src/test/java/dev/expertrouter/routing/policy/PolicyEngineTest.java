package dev.expertrouter.routing.policy;

import static dev.expertrouter.routing.policy.Fixtures.INPUT_TOKENS;
import static dev.expertrouter.routing.policy.Fixtures.TENANT;
import static dev.expertrouter.routing.policy.Fixtures.expert;
import static dev.expertrouter.routing.policy.Fixtures.noEscalation;
import static dev.expertrouter.routing.policy.Fixtures.policy;
import static dev.expertrouter.routing.policy.Fixtures.request;
import static dev.expertrouter.routing.policy.Fixtures.scores;
import static dev.expertrouter.routing.policy.Fixtures.sure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.IneligibleReason;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {

    // medical specialist: dear and slow; generalist: 10x cheaper, a bit worse in medicine
    static final ExpertConfig MED = expert("med", 10, 1000, Map.of("medical", 0.90, "general", 0.60));
    static final ExpertConfig GEN = expert("gen", 1, 100, Map.of("medical", 0.80, "general", 0.70));
    static final List<ExpertConfig> BOTH = List.of(MED, GEN);

    final ExpertStats stats = new ExpertStats();
    final PolicyEngine engine = new PolicyEngine(ExpertAvailability.ALWAYS, stats);

    static Candidate candidate(RoutingDecision d, String id) {
        return d.candidates().stream().filter(c -> c.expert().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void expectedQualityIsTheProbabilityWeightedSumAndCostUsesEstimatedTokens() {
        RoutingDecision d = engine.select(request(BOTH, policy(new PolicyConfig.Weights(1, 0, 0)),
                scores(Map.of("medical", 0.75, "general", 0.25))));

        // med: 0.75 x 0.90 + 0.25 x 0.60 = 0.825; gen: 0.75 x 0.80 + 0.25 x 0.70 = 0.775
        assertThat(candidate(d, "med").estQuality()).isCloseTo(0.825, within(1e-12));
        assertThat(candidate(d, "gen").estQuality()).isCloseTo(0.775, within(1e-12));
        // (744 + 256) tokens x 10 USD / 1M
        assertThat(candidate(d, "med").estCostUsd()).isCloseTo(0.010, within(1e-12));
        assertThat(candidate(d, "gen").estLatencyMs()).isEqualTo(100);
        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("med");
    }

    @Test
    void costWeightTradesQualityForPriceInDecades() {
        // med is 10x dearer (1 decade) and 0.10 better: it wins while cost weight < 0.10
        RoutingDecision low = engine.select(request(BOTH, policy(new PolicyConfig.Weights(1, 0.05, 0)), sure("medical")));
        RoutingDecision high = engine.select(request(BOTH, policy(new PolicyConfig.Weights(1, 0.2, 0)), sure("medical")));

        assertThat(candidate(low, "med").score()).isCloseTo(0.90 - 0.05, within(1e-12));
        assertThat(candidate(low, "gen").score()).isCloseTo(0.80, within(1e-12));
        assertThat(low.chosen().orElseThrow().expert()).isEqualTo("med");
        assertThat(candidate(high, "med").score()).isCloseTo(0.90 - 0.2, within(1e-12));
        assertThat(high.chosen().orElseThrow().expert()).isEqualTo("gen");
    }

    @Test
    void latencyWeightPrefersTheFasterExpert() {
        // med is 10x slower: latency weight 0.2 costs it 0.2, more than its 0.1 quality lead
        RoutingDecision d = engine.select(request(BOTH, policy(new PolicyConfig.Weights(1, 0, 0.2)), sure("medical")));

        assertThat(candidate(d, "med").score()).isCloseTo(0.70, within(1e-12));
        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("gen");
    }

    @Test
    void qualityWeightZeroPicksTheCheapest() {
        RoutingDecision d = engine.select(request(BOTH, policy(new PolicyConfig.Weights(0, 1, 0)), sure("medical")));

        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("gen");
    }

    @Test
    void policyLimitsAndHeadersMakeCandidatesIneligibleWithTheirCodes() {
        PolicyConfig p = policy(new PolicyConfig.Weights(1, 0, 0),
                new PolicyConfig.Limits(OptionalDouble.empty(), OptionalLong.of(500), 0), noEscalation(), List.of());
        RoutingDecision d = engine.select(request(BOTH, p, sure("medical")));

        assertThat(candidate(d, "med").eligible()).isFalse();
        assertThat(candidate(d, "med").reasonCode()).isEqualTo(IneligibleReason.POLICY_MAX_LATENCY);
        assertThat(candidate(d, "med").reason()).contains("1000 ms").contains("max-latency-ms 500");
        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("gen");

        RoutingRequest capped = withHeaders(request(BOTH, policy(new PolicyConfig.Weights(1, 0, 0)), sure("medical")),
                OptionalDouble.of(0.005), OptionalLong.empty());
        RoutingDecision d2 = engine.select(capped);
        assertThat(candidate(d2, "med").reasonCode()).isEqualTo(IneligibleReason.REQUEST_MAX_COST);
        assertThat(d2.chosen().orElseThrow().expert()).isEqualTo("gen");
    }

    @Test
    void maxTokensSetsTheOutputTokensOfTheCostEstimate() {
        RoutingRequest r = request(BOTH, policy(new PolicyConfig.Weights(1, 0, 0)), sure("medical"));
        RoutingRequest withMax = new RoutingRequest(r.config(), r.tenant(), r.policy(), r.classification(), INPUT_TOKENS,
                OptionalInt.of(1256), OptionalDouble.of(0.015), OptionalLong.empty(), Optional.empty());

        RoutingDecision d = engine.select(withMax);

        // (744 + 1256) x 10 / 1M = 0.02 > 0.015, though the expected 256 tokens would have cost 0.01
        assertThat(candidate(d, "med").estCostUsd()).isCloseTo(0.02, within(1e-12));
        assertThat(candidate(d, "med").reasonCode()).isEqualTo(IneligibleReason.REQUEST_MAX_COST);
    }

    @Test
    void hardLimitsAreNeverViolatedAcrossAGridOfConstraints() {
        List<ExpertConfig> experts = List.of(MED, GEN,
                expert("mid", 3, 400, Map.of("medical", 0.85, "general", 0.65)),
                expert("tiny", 0.1, 50, Map.of("medical", 0.40, "general", 0.50)));
        double[] costs = {0.00005, 0.0002, 0.001, 0.003, 0.02};
        long[] latencies = {40, 60, 150, 500, 2000};
        double[] minQualities = {0, 0.5, 0.82, 0.95};
        double[] costWeights = {0, 0.05, 1};
        for (double maxCost : costs) {
            for (long maxLatency : latencies) {
                for (double minQ : minQualities) {
                    for (double w : costWeights) {
                        PolicyConfig p = policy(new PolicyConfig.Weights(1, w, 0.1),
                                new PolicyConfig.Limits(OptionalDouble.empty(), OptionalLong.empty(), minQ),
                                new PolicyConfig.Escalation(0.9, PolicyConfig.EscalationMode.STRONGEST, Optional.empty(), 2),
                                List.of());
                        RoutingDecision d = engine.select(withHeaders(request(experts, p,
                                scores(Map.of("medical", 0.6, "general", 0.4))), OptionalDouble.of(maxCost),
                                OptionalLong.of(maxLatency)));
                        for (Candidate c : d.eligible()) {
                            assertThat(c.estCostUsd()).isLessThanOrEqualTo(maxCost);
                            assertThat(c.estLatencyMs()).isLessThanOrEqualTo(maxLatency);
                            assertThat(c.estQuality()).isGreaterThanOrEqualTo(minQ);
                        }
                        boolean someoneFits = experts.stream().anyMatch(e -> e.price().costUsd(INPUT_TOKENS, 256) <= maxCost
                                && e.latencyMs() <= maxLatency
                                && 0.6 * e.qualityFor("medical") + 0.4 * e.qualityFor("general") >= minQ);
                        assertThat(d.chosen().isPresent()).isEqualTo(someoneFits);
                        if (!someoneFits) {
                            assertThat(d.status()).isEqualTo(RoutingDecision.Status.CONSTRAINT_UNMET);
                        }
                    }
                }
            }
        }
    }

    @Test
    void noExpertMeetingAHeaderGivesConstraintUnmetNamingTheHeader() {
        RoutingDecision d = engine.select(withHeaders(request(BOTH, policy(new PolicyConfig.Weights(1, 0, 0)),
                sure("medical")), OptionalDouble.of(0.0001), OptionalLong.empty()));

        assertThat(d.chosen()).isEmpty();
        assertThat(d.status()).isEqualTo(RoutingDecision.Status.CONSTRAINT_UNMET);
        RoutingDecision.ConstraintUnmet unmet = d.unmet().orElseThrow();
        assertThat(unmet.codes()).containsExactly(IneligibleReason.REQUEST_MAX_COST);
        assertThat(unmet.param()).isEqualTo("x-router-max-cost-usd");
        assertThat(unmet.message()).contains("x-router-max-cost-usd").contains("0.0001");
    }

    @Test
    void unavailableExpertsThatMeetTheConstraintsGiveUnavailableNotConstraintUnmet() {
        ExpertAvailability full = id -> Optional.of("at its concurrency limit");
        RoutingDecision d = new PolicyEngine(full, stats).select(request(BOTH, policy(new PolicyConfig.Weights(1, 0, 0)),
                sure("medical")));

        assertThat(d.status()).isEqualTo(RoutingDecision.Status.UNAVAILABLE);
        assertThat(d.unmet()).isEmpty();
        assertThat(d.candidates()).allSatisfy(c -> {
            assertThat(c.reasonCode()).isEqualTo(IneligibleReason.UNAVAILABLE);
            assertThat(c.reason()).isEqualTo("at its concurrency limit");
        });
    }

    @Test
    void anOpenCircuitOnTheBestExpertFallsToTheNext() {
        ExpertAvailability medOpen = id -> id.equals("med") ? Optional.of("circuit open") : Optional.empty();
        RoutingDecision d = new PolicyEngine(medOpen, stats).select(request(BOTH, policy(new PolicyConfig.Weights(1, 0, 0)),
                sure("medical")));

        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("gen");
        assertThat(d.candidates()).extracting(Candidate::expert).containsExactly("gen", "med");
    }

    @Test
    void belowTheConfidenceThresholdStrongestIgnoresCost() {
        PolicyConfig p = policy(new PolicyConfig.Weights(1, 0.5, 0), PolicyConfig.Limits.NONE,
                new PolicyConfig.Escalation(0.6, PolicyConfig.EscalationMode.STRONGEST, Optional.empty(), 2), List.of());
        Classification unsure = scores(Map.of("medical", 0.55, "general", 0.45));
        Classification sure = scores(Map.of("medical", 0.65, "general", 0.35));

        RoutingDecision escalated = engine.select(request(BOTH, p, unsure));
        RoutingDecision normal = engine.select(request(BOTH, p, sure));

        // unsure: med 0.55x0.9+0.45x0.6 = 0.765 vs gen 0.55x0.8+0.45x0.7 = 0.755, cost ignored
        assertThat(escalated.escalation()).hasValueSatisfying(s -> assertThat(s).contains("0.550").contains("strongest"));
        assertThat(escalated.chosen().orElseThrow().expert()).isEqualTo("med");
        assertThat(candidate(escalated, "med").score()).isCloseTo(0.765, within(1e-12));
        // sure enough: cost weight 0.5 per decade decides for gen
        assertThat(normal.escalation()).isEmpty();
        assertThat(normal.chosen().orElseThrow().expert()).isEqualTo("gen");
    }

    @Test
    void belowTheThresholdModeExpertPutsTheNamedExpertFirst() {
        PolicyConfig p = policy(new PolicyConfig.Weights(1, 0.5, 0), PolicyConfig.Limits.NONE,
                new PolicyConfig.Escalation(0.6, PolicyConfig.EscalationMode.EXPERT, Optional.of("med"), 2), List.of());

        RoutingDecision d = engine.select(request(BOTH, p, scores(Map.of("medical", 0.55, "general", 0.45))));

        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("med");
        assertThat(candidate(d, "med").score()).isLessThan(candidate(d, "gen").score());
    }

    @Test
    void belowTheThresholdModeTopKRanksByTheWorstOfTheLikelyDomains() {
        ExpertConfig codeSpecialist = expert("coder", 1, 100, Map.of("code", 0.95, "math", 0.30, "general", 0.5));
        ExpertConfig allRounder = expert("all", 1, 100, Map.of("code", 0.75, "math", 0.70, "general", 0.7));
        PolicyConfig p = policy(new PolicyConfig.Weights(1, 0, 0), PolicyConfig.Limits.NONE,
                new PolicyConfig.Escalation(0.8, PolicyConfig.EscalationMode.TOP_K, Optional.empty(), 2), List.of());
        // expected: coder 0.7x0.95+0.3x0.3 = 0.755 beats all 0.7x0.75+0.3x0.7 = 0.735
        Classification unsure = scores(Map.of("code", 0.7, "math", 0.3));

        RoutingDecision d = engine.select(request(List.of(codeSpecialist, allRounder), p, unsure));

        // worst of {code, math}: coder 0.30, all 0.70
        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("all");
        assertThat(candidate(d, "all").score()).isCloseTo(0.70, within(1e-12));
        assertThat(candidate(d, "coder").estQuality()).isCloseTo(0.755, within(1e-12));
    }

    @Test
    void riskTierMinQualityWinsOverACostHeavyPolicy() {
        PolicyConfig.RiskTier medical = new PolicyConfig.RiskTier(List.of("medical"), 0.3, 0.85, List.of());
        PolicyConfig p = policy(new PolicyConfig.Weights(1, 1.0, 0), PolicyConfig.Limits.NONE, noEscalation(),
                List.of(medical));

        RoutingDecision medicalPrompt = engine.select(request(BOTH, p, sure("medical")));
        RoutingDecision generalPrompt = engine.select(request(BOTH, p, sure("general")));
        RoutingDecision partlyMedical = engine.select(request(BOTH, p, scores(Map.of("general", 0.65, "medical", 0.35))));

        assertThat(medicalPrompt.chosen().orElseThrow().expert()).isEqualTo("med");
        assertThat(candidate(medicalPrompt, "gen").reasonCode()).isEqualTo(IneligibleReason.RISK_TIER_MIN_QUALITY);
        assertThat(candidate(medicalPrompt, "gen").reason()).contains("0.8000 in medical").contains("0.8500");
        assertThat(generalPrompt.chosen().orElseThrow().expert()).isEqualTo("gen");
        assertThat(partlyMedical.chosen().orElseThrow().expert()).isEqualTo("med");
    }

    @Test
    void riskTierAllowListWinsOverCost() {
        PolicyConfig.RiskTier medical = new PolicyConfig.RiskTier(List.of("medical"), 0.5, 0, List.of("med"));
        PolicyConfig p = policy(new PolicyConfig.Weights(1, 1.0, 0), PolicyConfig.Limits.NONE, noEscalation(),
                List.of(medical));

        RoutingDecision d = engine.select(request(BOTH, p, sure("medical")));

        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("med");
        assertThat(candidate(d, "gen").reasonCode()).isEqualTo(IneligibleReason.RISK_TIER_NOT_ALLOWED);
    }

    @Test
    void tiesAreBrokenByCostThenLatencyThenId() {
        ExpertConfig a = expert("a", 1, 100, Map.of("general", 0.7));
        ExpertConfig b = expert("b", 1, 100, Map.of("general", 0.7));
        ExpertConfig slower = expert("0-slower", 1, 200, Map.of("general", 0.7));
        ExpertConfig dearer = expert("0-dearer", 2, 100, Map.of("general", 0.7));
        PolicyConfig qualityOnly = policy(new PolicyConfig.Weights(1, 0, 0));

        for (List<ExpertConfig> order : List.of(List.of(b, a, slower, dearer), List.of(dearer, slower, a, b))) {
            RoutingDecision d = engine.select(request(order, qualityOnly, sure("general")));
            assertThat(d.candidates()).extracting(Candidate::expert).containsExactly("a", "b", "0-slower", "0-dearer");
        }
    }

    @Test
    void tenantAndPolicyListsExcludeExperts() {
        PolicyConfig denyMed = new PolicyConfig("p", Optional.empty(), "", new PolicyConfig.Weights(1, 0, 0),
                PolicyConfig.Limits.NONE, List.of(), List.of("med"), noEscalation(), List.of(), Optional.empty());
        RoutingDecision d = engine.select(request(BOTH, denyMed, sure("medical")));
        assertThat(candidate(d, "med").reasonCode()).isEqualTo(IneligibleReason.POLICY_NOT_ALLOWED);

        PolicyConfig open = policy(new PolicyConfig.Weights(1, 0, 0));
        RoutingRequest r = request(BOTH, open, sure("medical"));
        RoutingDecision tenantLimited = engine.select(new RoutingRequest(r.config(), Fixtures.tenant(List.of("gen")), open,
                r.classification(), INPUT_TOKENS, OptionalInt.empty(), OptionalDouble.empty(), OptionalLong.empty(),
                Optional.empty()));
        assertThat(candidate(tenantLimited, "med").reasonCode()).isEqualTo(IneligibleReason.TENANT_NOT_ALLOWED);
        assertThat(tenantLimited.chosen().orElseThrow().expert()).isEqualTo("gen");
    }

    @Test
    void counterfactualSavingIsTheReferenceCostMinusTheChosenCost() {
        PolicyConfig p = new PolicyConfig("p", Optional.empty(), "", new PolicyConfig.Weights(1, 0.5, 0),
                PolicyConfig.Limits.NONE, List.of(), List.of(), noEscalation(), List.of(), Optional.of("med"));

        RoutingDecision d = engine.select(request(BOTH, p, sure("medical")));

        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("gen");
        assertThat(d.reference()).hasValue(new RoutingDecision.ReferenceCost("med", 0.010));
        assertThat(d.savingUsd().getAsDouble()).isCloseTo(0.010 - 0.001, within(1e-12));
        assertThat(d.savingUsdIfServedBy("med").getAsDouble()).isCloseTo(0, within(1e-12));
    }

    @Test
    void referenceDefaultsToTheDefaultExpertElseTheBestMeanQuality() {
        RoutingDecision d = engine.select(request(BOTH, policy(new PolicyConfig.Weights(1, 0, 0)), sure("medical")));

        // mean quality: med (0.9+0.6)/2 = 0.75, gen (0.8+0.7)/2 = 0.75; tie broken by id
        assertThat(d.reference().orElseThrow().expert()).isEqualTo("gen");
    }

    @Test
    void withoutARouterVerdictTheDefaultExpertGoesFirst() {
        PolicyConfig p = new PolicyConfig("p", Optional.of("med"), "", new PolicyConfig.Weights(1, 1, 0),
                PolicyConfig.Limits.NONE, List.of(), List.of(), noEscalation(), List.of(), Optional.empty());

        RoutingDecision d = engine.select(request(BOTH, p, Classification.unknown()));

        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("med");
        assertThat(d.escalation()).isPresent();
    }

    @Test
    void aForcedExpertIsTheOnlyCandidateAndStillHonoursTheHeaders() {
        RoutingRequest r = request(BOTH, policy(new PolicyConfig.Weights(1, 0, 0)), sure("general"));
        RoutingRequest forced = new RoutingRequest(r.config(), TENANT, r.policy(), r.classification(), INPUT_TOKENS,
                OptionalInt.empty(), OptionalDouble.of(0.005), OptionalLong.empty(), Optional.of("med"));

        RoutingDecision d = engine.select(forced);

        assertThat(d.candidates()).extracting(Candidate::expert).containsExactly("med");
        assertThat(d.unmet().orElseThrow().param()).isEqualTo("x-router-max-cost-usd");
    }

    @Test
    void learnedStatsMoveTheEstimates() {
        stats.recordLatency("med", 100);
        for (int i = 0; i < 20; i++) {
            stats.recordFeedback("gen", "medical", 1.0);
            stats.recordOutputTokens("med", "medical", 1256);
        }

        RoutingDecision d = engine.select(request(BOTH, policy(new PolicyConfig.Weights(1, 0, 0)), sure("medical")));

        // EWMA from the 1000 ms prior is not kept: the first sample is the estimate
        assertThat(candidate(d, "med").estLatencyMs()).isEqualTo(100);
        // (20 x 0.8 + 20 x 1.0) / 40 = 0.9
        assertThat(candidate(d, "gen").estQuality()).isCloseTo(0.90, within(1e-12));
        // (744 + 1256) x 10 / 1M
        assertThat(candidate(d, "med").estCostUsd()).isCloseTo(0.02, within(1e-12));
        // equal quality 0.9: the cheaper gen wins the tie
        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("gen");
    }

    @Test
    void aPromptTooLongForAContextWindowRulesThatExpertOut() {
        ExpertConfig small = new ExpertConfig("small", "", "small", null, Map.of(), GEN.price(), GEN.quality(), 100, 1000,
                30_000, 64, GEN.simulated());
        RoutingRequest r = request(List.of(MED, small), policy(new PolicyConfig.Weights(1, 0, 0)), sure("general"));
        RoutingRequest longAnswer = new RoutingRequest(r.config(), TENANT, r.policy(), r.classification(), INPUT_TOKENS,
                OptionalInt.of(512), OptionalDouble.empty(), OptionalLong.empty(), Optional.empty());

        RoutingDecision d = engine.select(longAnswer);

        assertThat(candidate(d, "small").reasonCode()).isEqualTo(IneligibleReason.CONTEXT_WINDOW);
        assertThat(d.chosen().orElseThrow().expert()).isEqualTo("med");
    }

    private static RoutingRequest withHeaders(RoutingRequest r, OptionalDouble maxCost, OptionalLong maxLatency) {
        return new RoutingRequest(r.config(), r.tenant(), r.policy(), r.classification(), r.inputTokens(), r.maxTokens(),
                maxCost, maxLatency, r.forcedExpert());
    }
}
