package dev.expertrouter.routing.affinity;

import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Conversation affinity applied to the policy's decision for one turn, in four clauses:
 *
 * <ol>
 *   <li>Nothing remembered (a first turn, an unknown or expired conversation): {@code new}, the
 *       policy's ranking as it is.
 *   <li>The remembered expert is not among the decision's eligible candidates (circuit open, at its
 *       concurrency limit, excluded by the tenant, the policy, a risk tier or the caller's
 *       constraints, or gone from the config): {@code switched}, the policy's ranking.
 *   <li>The turn's classification is at least the policy's {@code switch-confidence} sure of a
 *       domain other than the conversation's: a real topic change, {@code switched}, the policy's
 *       ranking.
 *   <li>Otherwise {@code kept}: the remembered expert moves to the front, the rest keep the
 *       policy's order behind it, so a failing remembered expert still falls back along it.
 * </ol>
 *
 * <p>"The turn's classification" is the one the request is routed on anyway: the router's verdict
 * on the text {@code PromptTextSelector} picks (the last user turn, with the system prompt's head
 * and the previous user turn's tail before it when the turn is short). No second embedding is
 * made, which keeps affinity's own cost to a hash and a few comparisons. A forced expert and a
 * policy without affinity are never touched (no outcome).
 */
public final class AffinityRule {

    private AffinityRule() {
    }

    /**
     * @param outcome  empty when affinity did not apply (off, or a forced expert)
     * @param decision the decision to route on
     * @param domain   the conversation's domain after this turn: the remembered one unless the topic
     *                 changed or nothing was remembered, then the turn's (a follow-up like "shorter
     *                 please" classifies as small talk but is still about the conversation's subject)
     * @param reason   why, for logs and the dry run
     */
    public record Verdict(Optional<AffinityOutcome> outcome, RoutingDecision decision, String domain, String reason) {
    }

    public static Verdict apply(PolicyConfig.Affinity affinity, boolean forced, Optional<RememberedChoice> remembered,
            Classification classification, RoutingDecision decision) {
        if (!affinity.enabled() || forced) {
            return new Verdict(Optional.empty(), decision, classification.domain(),
                    forced ? "forced expert" : "affinity off");
        }
        if (remembered.isEmpty()) {
            return new Verdict(Optional.of(AffinityOutcome.NEW), decision, classification.domain(), "new conversation");
        }
        RememberedChoice previous = remembered.get();
        boolean topicChanged = topicChanged(affinity, previous, classification);
        String domain = topicChanged ? classification.domain() : previous.domain();
        Optional<Candidate> same = decision.eligible().stream().filter(c -> c.expert().equals(previous.expert()))
                .findFirst();
        if (same.isEmpty()) {
            return new Verdict(Optional.of(AffinityOutcome.SWITCHED), decision, domain,
                    "expert " + previous.expert() + " is no longer eligible" + why(decision, previous.expert()));
        }
        if (topicChanged) {
            return new Verdict(Optional.of(AffinityOutcome.SWITCHED), decision, domain, String.format(Locale.ROOT,
                    "topic changed: %s at %.3f >= %.3f (conversation: %s)", classification.domain(),
                    classification.confidence(), affinity.switchConfidence(), previous.domain()));
        }
        List<Candidate> ranked = new ArrayList<>(decision.candidates().size());
        ranked.add(same.get());
        decision.candidates().stream().filter(c -> c != same.get()).forEach(ranked::add);
        return new Verdict(Optional.of(AffinityOutcome.KEPT),
                new RoutingDecision(decision.policy(), ranked, decision.reference(), decision.escalation()), domain,
                "kept " + previous.expert() + " (conversation: " + previous.domain() + ")");
    }

    /** A confident verdict for another domain; an unknown classification never changes the topic. */
    static boolean topicChanged(PolicyConfig.Affinity affinity, RememberedChoice previous, Classification c) {
        return !c.isUnknown() && c.confidence() >= affinity.switchConfidence() && !c.domain().equals(previous.domain());
    }

    /** What to remember once the turn was answered by {@code answeredBy} (after a fallback, not the first choice). */
    public static RememberedChoice next(Verdict verdict, Optional<RememberedChoice> previous,
            Classification classification, String answeredBy) {
        int turns = previous.map(p -> p.turns() + 1).orElse(1);
        return new RememberedChoice(answeredBy, verdict.domain(), classification.routerVersion(), turns);
    }

    private static String why(RoutingDecision decision, String expert) {
        return decision.candidates().stream().filter(c -> c.expert().equals(expert) && c.reason() != null)
                .findFirst().map(c -> ": " + c.reason()).orElse("");
    }
}
