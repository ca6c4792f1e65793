package dev.expertrouter.routing.policy;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.ExpertSelector;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Ranks every expert for one request under its policy: estimates quality, cost and latency
 * ({@link ExpertEstimator}), rules out what breaks a hard limit ({@link HardLimits}), scores the rest
 * by the policy's weights ({@link Utility}), and applies the escalation rule when the router is
 * unsure. Pure apart from reading {@link ExpertStats} and {@link ExpertAvailability}.
 */
public final class PolicyEngine implements ExpertSelector {

    private final ExpertEstimator estimator;
    private final HardLimits limits;

    public PolicyEngine(ExpertAvailability availability, ExpertStats stats) {
        if (availability == null || stats == null) {
            throw new IllegalArgumentException("availability and stats are required");
        }
        this.estimator = new ExpertEstimator(stats);
        this.limits = new HardLimits(availability);
    }

    @Override
    public RoutingDecision select(RoutingRequest request) {
        PolicyConfig policy = request.policy();
        Classification classification = request.classification();
        DomainScores scores = classification.isUnknown() ? DomainScores.of(Map.of())
                : DomainScores.of(classification.scores());
        boolean forced = request.forcedExpert().isPresent();

        List<CandidateEstimate> estimates = new ArrayList<>();
        for (ExpertConfig e : request.config().experts()) {
            if (!forced || request.forcedExpert().get().equals(e.id())) {
                estimates.add(estimator.estimate(e, scores, request.inputTokens(), request.maxTokens(), request.choices()));
            }
        }

        Optional<String> escalation = forced ? Optional.empty() : escalationReason(policy, classification, scores);
        PolicyConfig.Escalation rule = policy.escalation();
        PolicyConfig.Weights weights = policy.weights();
        if (escalation.isPresent() && rule.mode() == PolicyConfig.EscalationMode.STRONGEST && !scores.isEmpty()) {
            weights = new PolicyConfig.Weights(weights.quality() > 0 ? weights.quality() : 1, 0, 0);
        }
        Utility utility = new Utility(weights,
                estimates.stream().mapToDouble(CandidateEstimate::costUsd).min().orElse(0),
                estimates.stream().mapToDouble(CandidateEstimate::latencyMs).min().orElse(0));
        List<String> topDomains = escalation.isPresent() && rule.mode() == PolicyConfig.EscalationMode.TOP_K
                ? scores.top(rule.topK()) : List.of();
        Optional<String> pinned = pinned(request, scores, escalation.isPresent());

        List<RiskRule> risks = RiskRule.active(policy.riskTiers(), scores);
        List<Candidate> candidates = new ArrayList<>();
        for (CandidateEstimate c : estimates) {
            double rankQuality = topDomains.isEmpty() ? c.quality()
                    : topDomains.stream().mapToDouble(d -> estimator.quality(c.expert(), d)).min().orElse(c.quality());
            double score = utility.score(rankQuality, c.costUsd(), c.latencyMs());
            Optional<Ineligibility> why = limits.check(c, request, risks, !forced);
            candidates.add(new Candidate(c.id(), score, c.quality(), c.costUsd(), c.latencyMs(), why.isEmpty(),
                    why.map(Ineligibility::message).orElse(null), why.map(Ineligibility::code).orElse(null)));
        }
        candidates.sort(ranking(pinned));

        Optional<RoutingDecision.ReferenceCost> reference = referenceExpert(policy, request)
                .map(e -> estimator.estimate(e, scores, request.inputTokens(), request.maxTokens(), request.choices()))
                .map(c -> new RoutingDecision.ReferenceCost(c.id(), c.costUsd()));
        return new RoutingDecision(policy.name(), candidates, reference, escalation);
    }

    private static Optional<String> escalationReason(PolicyConfig policy, Classification classification,
            DomainScores scores) {
        if (scores.isEmpty()) {
            return Optional.of("no router verdict: default expert first");
        }
        double threshold = policy.escalation().confidenceThreshold();
        if (classification.confidence() < threshold) {
            return Optional.of(String.format(Locale.ROOT, "confidence %.3f below %.3f: %s", classification.confidence(),
                    threshold, policy.escalation().mode().yamlName()));
        }
        return Optional.empty();
    }

    /** The expert ranked first whenever it is eligible: the default one without a verdict, or mode expert's. */
    private static Optional<String> pinned(RoutingRequest request, DomainScores scores, boolean escalated) {
        PolicyConfig policy = request.policy();
        if (scores.isEmpty()) {
            return Optional.of(defaultExpert(policy, request));
        }
        if (escalated && policy.escalation().mode() == PolicyConfig.EscalationMode.EXPERT) {
            return Optional.of(policy.escalation().expert().orElseGet(() -> defaultExpert(policy, request)));
        }
        return Optional.empty();
    }

    private static String defaultExpert(PolicyConfig policy, RoutingRequest request) {
        return policy.defaultExpert().orElseGet(() -> bestMeanQuality(request.config().experts()).id());
    }

    private static Optional<ExpertConfig> referenceExpert(PolicyConfig policy, RoutingRequest request) {
        String id = policy.referenceExpert().orElseGet(() -> defaultExpert(policy, request));
        return request.config().expert(id);
    }

    static ExpertConfig bestMeanQuality(List<ExpertConfig> experts) {
        return experts.stream()
                .min(Comparator.comparingDouble(ExpertConfig::meanQuality).reversed().thenComparing(ExpertConfig::id))
                .orElseThrow(() -> new IllegalStateException("no experts configured"));
    }

    /**
     * Eligible before ineligible; then the pinned expert; then score, cheaper, faster, and the expert
     * id, so equal scores always rank the same way. Scores are compared at 1e-9 so that float noise
     * in otherwise equal sums cannot decide.
     */
    private static Comparator<Candidate> ranking(Optional<String> pinned) {
        return Comparator.comparing((Candidate c) -> !c.eligible())
                .thenComparing(c -> !pinned.map(c.expert()::equals).orElse(false))
                .thenComparing(Comparator.comparingLong((Candidate c) -> Math.round(c.score() * 1e9)).reversed())
                .thenComparingDouble(Candidate::estCostUsd)
                .thenComparingDouble(Candidate::estLatencyMs)
                .thenComparing(Candidate::expert);
    }
}
