package dev.expertrouter.routing;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.RouterConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The policy's answer: every candidate, best first. The request goes to the first eligible one and
 * falls back along the rest in order.
 *
 * @param policy     the policy that decided
 * @param candidates every expert considered, eligible ones first, each group best first
 * @param reference  the policy's reference expert and its estimated cost for this request, the basis
 *                   of the counterfactual saving
 * @param escalation why the escalation rule applied (low confidence, say), when it did
 * @param exploration whether the first eligible candidate was drawn to explore (the policy's own
 *                    top choice comes second), to be marked in the outcome
 */
public record RoutingDecision(
        String policy,
        List<Candidate> candidates,
        Optional<ReferenceCost> reference,
        Optional<String> escalation,
        boolean exploration) {

    /** How the HTTP layer should answer. */
    public enum Status {
        /** at least one eligible candidate */
        ROUTED,
        /** every candidate that met the constraints is unavailable (open circuit, full): 503 */
        UNAVAILABLE,
        /** no candidate meets the constraints: 422 {@code constraint_unmet} */
        CONSTRAINT_UNMET
    }

    /** What a counterfactual saving is measured against. */
    public record ReferenceCost(String expert, double estCostUsd) {
    }

    /**
     * Why no expert could take the request.
     *
     * @param codes   the distinct reasons candidates failed, in check order
     * @param param   the request header a caller could relax ({@code x-router-max-cost-usd}, ...), or
     *                null when only configuration excluded the experts
     * @param message one sentence for the error body, naming the constraints
     */
    public record ConstraintUnmet(List<IneligibleReason> codes, String param, String message) {
        public ConstraintUnmet {
            codes = List.copyOf(codes);
        }
    }

    public RoutingDecision {
        candidates = List.copyOf(candidates);
    }

    public RoutingDecision(String policy, List<Candidate> candidates, Optional<ReferenceCost> reference,
            Optional<String> escalation) {
        this(policy, candidates, reference, escalation, false);
    }

    public RoutingDecision(String policy, List<Candidate> candidates) {
        this(policy, candidates, Optional.empty(), Optional.empty());
    }

    public List<Candidate> eligible() {
        return candidates.stream().filter(Candidate::eligible).toList();
    }

    /** The eligible experts' configurations, in rank order: the fallback chain to call. */
    public List<ExpertConfig> eligibleExperts(RouterConfig config) {
        return candidates.stream().filter(Candidate::eligible).map(c -> config.expert(c.expert()).orElseThrow()).toList();
    }

    public Optional<Candidate> chosen() {
        return candidates.stream().filter(Candidate::eligible).findFirst();
    }

    public Status status() {
        if (chosen().isPresent()) {
            return Status.ROUTED;
        }
        boolean someOnlyUnavailable = candidates.stream().anyMatch(c -> c.reasonCode() == IneligibleReason.UNAVAILABLE);
        return someOnlyUnavailable ? Status.UNAVAILABLE : Status.CONSTRAINT_UNMET;
    }

    /** Which constraints no expert could meet; empty unless {@link #status()} is CONSTRAINT_UNMET. */
    public Optional<ConstraintUnmet> unmet() {
        if (status() != Status.CONSTRAINT_UNMET) {
            return Optional.empty();
        }
        Map<IneligibleReason, List<Candidate>> byCode = new EnumMap<>(IneligibleReason.class);
        for (Candidate c : candidates) {
            byCode.computeIfAbsent(c.reasonCode(), k -> new ArrayList<>()).add(c);
        }
        String param = null;
        List<String> parts = new ArrayList<>();
        for (var entry : byCode.entrySet()) {
            if (param == null) {
                param = entry.getKey().header();
            }
            List<Candidate> group = entry.getValue();
            // the first of a group is its best-ranked member: its reason tells the caller the nearest miss
            parts.add(group.size() + (group.size() == 1 ? " expert: " : " experts, e.g. ") + group.get(0).expert()
                    + ": " + group.get(0).reason());
        }
        String message = candidates.isEmpty()
                ? "no expert to route to"
                : "no expert meets every constraint of policy '" + policy + "': " + String.join("; ", parts);
        return Optional.of(new ConstraintUnmet(List.copyOf(byCode.keySet()), param, message));
    }

    /**
     * Whether the prompt is too long for every expert the allow-lists leave: no retry or relaxed
     * header can help, so the caller gets OpenAI's {@code context_length_exceeded}. Candidates are
     * checked in {@link IneligibleReason} order, so one that failed a later check fit its window.
     */
    public boolean exceedsEveryContextWindow() {
        List<Candidate> allowed = candidates.stream()
                .filter(c -> c.reasonCode() == null || c.reasonCode().ordinal() >= IneligibleReason.CONTEXT_WINDOW.ordinal())
                .toList();
        return !allowed.isEmpty() && allowed.stream().allMatch(c -> c.reasonCode() == IneligibleReason.CONTEXT_WINDOW);
    }

    /** Reference cost minus the chosen expert's: the counterfactual saving of this decision. */
    public OptionalDouble savingUsd() {
        return chosen().map(c -> savingUsdIfServedBy(c.expert())).orElse(OptionalDouble.empty());
    }

    /** The saving had the request been served by the given expert (after a fallback, say). */
    public OptionalDouble savingUsdIfServedBy(String expert) {
        if (reference.isEmpty()) {
            return OptionalDouble.empty();
        }
        return candidates.stream().filter(c -> c.expert().equals(expert)).findFirst()
                .map(c -> OptionalDouble.of(reference.get().estCostUsd() - c.estCostUsd()))
                .orElse(OptionalDouble.empty());
    }
}
