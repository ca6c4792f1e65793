package dev.expertrouter.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A routing policy callers may name as {@code model} or in {@code x-router-policy}: how expected
 * quality, cost and latency trade off, which hard limits no choice may break, what happens when the
 * router is unsure, and which domains carry extra risk rules.
 *
 * @param name            unique across experts, policies and {@code auto}
 * @param defaultExpert   the expert used when the router cannot decide; default: highest mean quality
 * @param description     free text shown to operators
 * @param weights         the objective: utility = quality x q - cost x log10(cost / cheapest)
 *                        - latency x log10(latency / fastest)
 * @param limits          hard limits; a candidate that breaks one is ineligible
 * @param allowedExperts  experts this policy may route to; empty = all
 * @param deniedExperts   experts this policy never routes to
 * @param escalation      what to do when the router's confidence is low
 * @param riskTiers       domains whose prompts need a minimum quality or an allow-list, whatever the
 *                        weights say
 * @param referenceExpert the expert the counterfactual saving is measured against; default: the
 *                        default expert, else the highest mean quality
 * @param affinity        whether a conversation keeps the expert that answered its previous turn
 * @param exploration     the share of routed traffic sent to a non-top eligible expert, so the
 *                        outcome log holds evidence about every expert; none by default
 * @param verification    verify-then-escalate: a cheap draft expert answers first and its answer,
 *                        judged by its answer verifier, goes on or is escalated; off by default
 */
public record PolicyConfig(
        String name,
        Optional<String> defaultExpert,
        String description,
        Weights weights,
        Limits limits,
        List<String> allowedExperts,
        List<String> deniedExperts,
        Escalation escalation,
        List<RiskTier> riskTiers,
        Optional<String> referenceExpert,
        Affinity affinity,
        Exploration exploration,
        Verification verification) {

    public PolicyConfig {
        allowedExperts = List.copyOf(allowedExperts);
        deniedExperts = List.copyOf(deniedExperts);
        riskTiers = List.copyOf(riskTiers);
        if (affinity == null) {
            affinity = Affinity.OFF;
        }
        if (exploration == null) {
            exploration = Exploration.NONE;
        }
        if (verification == null) {
            verification = Verification.NONE;
        }
    }

    /** A policy without verify-then-escalate. */
    public PolicyConfig(String name, Optional<String> defaultExpert, String description, Weights weights,
            Limits limits, List<String> allowedExperts, List<String> deniedExperts, Escalation escalation,
            List<RiskTier> riskTiers, Optional<String> referenceExpert, Affinity affinity, Exploration exploration) {
        this(name, defaultExpert, description, weights, limits, allowedExperts, deniedExperts, escalation, riskTiers,
                referenceExpert, affinity, exploration, Verification.NONE);
    }

    /** A policy without conversation affinity or exploration (a file without either block). */
    public PolicyConfig(String name, Optional<String> defaultExpert, String description, Weights weights,
            Limits limits, List<String> allowedExperts, List<String> deniedExperts, Escalation escalation,
            List<RiskTier> riskTiers, Optional<String> referenceExpert) {
        this(name, defaultExpert, description, weights, limits, allowedExperts, deniedExperts, escalation, riskTiers,
                referenceExpert, Affinity.OFF, Exploration.NONE);
    }

    /** A policy with conversation affinity and without exploration. */
    public PolicyConfig(String name, Optional<String> defaultExpert, String description, Weights weights,
            Limits limits, List<String> allowedExperts, List<String> deniedExperts, Escalation escalation,
            List<RiskTier> riskTiers, Optional<String> referenceExpert, Affinity affinity) {
        this(name, defaultExpert, description, weights, limits, allowedExperts, deniedExperts, escalation, riskTiers,
                referenceExpert, affinity, Exploration.NONE);
    }

    /** A policy with exploration and without conversation affinity. */
    public PolicyConfig(String name, Optional<String> defaultExpert, String description, Weights weights, Limits limits,
            List<String> allowedExperts, List<String> deniedExperts, Escalation escalation, List<RiskTier> riskTiers,
            Optional<String> referenceExpert, Exploration exploration) {
        this(name, defaultExpert, description, weights, limits, allowedExperts, deniedExperts, escalation, riskTiers,
                referenceExpert, Affinity.OFF, exploration);
    }

    /** A policy with every key at its default, as a file holding only {@code name} gives. */
    public PolicyConfig(String name, Optional<String> defaultExpert) {
        this(name, defaultExpert, "", Weights.DEFAULT, Limits.NONE, List.of(), List.of(), Escalation.DEFAULT,
                List.of(), Optional.empty(), Affinity.OFF);
    }

    /**
     * Objective weights. Quality is in 0..1; cost and latency enter as decades above the cheapest
     * (fastest) candidate, so a cost weight of 0.1 means "a 10x dearer call must bring 0.1 more
     * expected quality".
     */
    public record Weights(double quality, double cost, double latency) {
        public static final Weights DEFAULT = new Weights(1.0, 0.08, 0.0);
    }

    /**
     * Hard limits of the policy; the caller's headers may tighten, never loosen them.
     *
     * @param maxCostUsd   ceiling on the estimated cost of one request
     * @param maxLatencyMs ceiling on the estimated latency
     * @param minQuality   floor on the expected quality (0 = none)
     */
    public record Limits(OptionalDouble maxCostUsd, OptionalLong maxLatencyMs, double minQuality) {
        public static final Limits NONE = new Limits(OptionalDouble.empty(), OptionalLong.empty(), 0);
    }

    /** What a confidence below the threshold does. */
    public enum EscalationMode {
        /** rank by expected quality alone, ignoring cost and latency weights: a stronger expert */
        STRONGEST,
        /** put the named expert (a generalist, say) first when it is eligible */
        EXPERT,
        /** rank by the worst quality over the top-k domains: an expert good at every likely domain */
        TOP_K;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param confidenceThreshold below this confidence the escalation applies (0 = never)
     * @param mode                the escalation rule
     * @param expert              the expert of mode {@code expert}; default: the policy's default expert
     * @param topK                how many domains mode {@code top-k} considers
     */
    public record Escalation(double confidenceThreshold, EscalationMode mode, Optional<String> expert, int topK) {
        public static final Escalation DEFAULT = new Escalation(0.5, EscalationMode.STRONGEST, Optional.empty(), 2);
    }

    /**
     * A rule for risky domains. It applies to a request when the router gives one of its domains at
     * least {@code minProbability}; then every candidate must reach {@code minQuality} in that domain
     * and, when the list is not empty, be in {@code allowedExperts}.
     */
    public record RiskTier(List<String> domains, double minProbability, double minQuality, List<String> allowedExperts) {
        public RiskTier {
            domains = List.copyOf(domains);
            allowedExperts = List.copyOf(allowedExperts);
        }
    }

    /**
     * Conversation affinity: a later turn of a conversation goes to the expert that answered the
     * previous one while that expert is eligible, unless the router is at least
     * {@code switchConfidence} sure the turn is about another domain than the conversation's.
     *
     * @param enabled          off: every turn is routed on its own
     * @param switchConfidence the confidence (0..1) a turn's other domain needs to move the conversation
     * @param ttl              how long a conversation is remembered after its last answer
     * @param topicCheck       how a short last turn is read to tell a topic change from a follow-up
     */
    public record Affinity(boolean enabled, double switchConfidence, Duration ttl, TopicCheck topicCheck) {
        public static final double DEFAULT_SWITCH_CONFIDENCE = 0.85;
        public static final Duration DEFAULT_TTL = Duration.ofMinutes(30);
        public static final Affinity OFF = new Affinity(false, DEFAULT_SWITCH_CONFIDENCE, DEFAULT_TTL);

        /** How a short last turn is read for the topic check. */
        public enum TopicCheck {
            /** Inside the routed text's own embedding pass (its word pieces' states): no second embedding. */
            CONTEXT,
            /** Embedded on its own, beside the routed text: finds more real changes, costs a second embedding. */
            ALONE;

            /** The name written in policies.yaml. */
            public String yamlName() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        /** Affinity reading the turn in context (the default topic check). */
        public Affinity(boolean enabled, double switchConfidence, Duration ttl) {
            this(enabled, switchConfidence, ttl, TopicCheck.CONTEXT);
        }

        public Affinity {
            if (topicCheck == null) {
                throw new IllegalArgumentException("topicCheck is required");
            }
            if (switchConfidence < 0 || switchConfidence > 1 || Double.isNaN(switchConfidence)) {
                throw new IllegalArgumentException("switchConfidence must be within 0..1, was " + switchConfidence);
            }
            if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive, was " + ttl);
            }
        }
    }

    /**
     * Exploration: with probability {@code share} a request the policy routes (not a forced one) goes
     * to a uniformly drawn eligible expert other than the top one, among those whose estimated cost is
     * at most {@code maxExtraCostRatio} times the top one's, and its outcome is marked exploration.
     *
     * @param share             0..0.5; 0 = off
     * @param maxExtraCostRatio bound on an explored expert's estimated cost relative to the top choice, >= 1
     */
    public record Exploration(double share, double maxExtraCostRatio) {
        public static final Exploration NONE = new Exploration(0, 1);
        public static final double MAX_SHARE = 0.5;

        public Exploration {
            if (!(share >= 0 && share <= MAX_SHARE)) {
                throw new IllegalArgumentException("exploration share must be in 0..0.5, got " + share);
            }
            if (!(maxExtraCostRatio >= 1) || Double.isInfinite(maxExtraCostRatio)) {
                throw new IllegalArgumentException("max-extra-cost-ratio must be a finite number >= 1, got "
                        + maxExtraCostRatio);
            }
        }

        public boolean enabled() {
            return share > 0;
        }
    }

    /**
     * Verify-then-escalate, for whole (not streamed) answers to requests the policy routes: the
     * {@code draft} expert is asked first; when an answer verifier for it serves (trained by the
     * retrain from rated answers, see docs/perceptive-router.md) and judges the draft's answer good
     * with a probability below {@code threshold}, the answer is not sent and the request goes on down
     * the policy's ranking (without the draft), both answers paid for. Until a verifier for the draft
     * serves, or when the draft is not eligible for a request, the policy routes as without this.
     *
     * @param draft     the expert answering first; null when off
     * @param threshold an answer judged good with a lower probability is escalated, in [0.01, 0.99]
     */
    public record Verification(String draft, double threshold) {
        public static final Verification NONE = new Verification(null, 0.5);
        public static final double MIN_THRESHOLD = 0.01;
        public static final double MAX_THRESHOLD = 0.99;

        public Verification {
            if (!(threshold >= MIN_THRESHOLD && threshold <= MAX_THRESHOLD)) {
                throw new IllegalArgumentException("verification threshold must be in 0.01..0.99, got " + threshold);
            }
            if (draft != null && draft.isBlank()) {
                throw new IllegalArgumentException("verification draft must name an expert");
            }
        }

        public boolean enabled() {
            return draft != null;
        }
    }
}
