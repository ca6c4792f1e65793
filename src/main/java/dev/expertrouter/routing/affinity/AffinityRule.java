package dev.expertrouter.routing.affinity;

import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Conversation affinity applied to the policy's decision for one turn, in four clauses:
 *
 * <ol>
 *   <li>Nothing remembered (a first turn, an unknown or expired conversation): {@code new}, the
 *       policy's ranking as it is.
 *   <li>A real topic change: the last user turn, classified <em>on its own</em>, is at least the
 *       policy's {@code switch-confidence} sure of a domain that is neither the conversation's nor
 *       {@code general}. Then {@code switched}, and the turn is ranked on that classification (the
 *       routed text of a short turn starts with the previous turn, which still speaks of the old
 *       topic).
 *   <li>The remembered expert is not among the decision's eligible candidates (circuit open, at its
 *       concurrency limit, excluded by the tenant, the policy, a risk tier or the caller's
 *       constraints, or gone from the config): {@code switched}, the policy's ranking.
 *   <li>Otherwise {@code kept}: the remembered expert moves to the front, the rest keep the
 *       policy's order behind it, so a failing remembered expert still falls back along it.
 * </ol>
 *
 * <p>Why the turn on its own, and why never to {@code general}: measured on the multi-turn set of
 * {@code bench/conversations/}, the routed text (the turn with the previous user turn before it
 * when short) found 6 of 32 real topic changes, since the previous turn drags it back to the old
 * topic; the turn on its own found 28, but called 85 of 160 topicless follow-ups ("shorter
 * please", "why?") a confident change to {@code general}, the catch-all domain that small talk and
 * follow-ups look like. Without changes to {@code general}: 25 of 32 found, 0 of 160 false. A real
 * move to small talk therefore stays with the conversation's expert.
 *
 * <p>A forced expert and a policy without affinity are never touched (no outcome).
 */
public final class AffinityRule {

    /** The catch-all domain: topicless follow-ups classify as it, so it never moves a conversation. */
    public static final String GENERAL = "general";

    private AffinityRule() {
    }

    /**
     * @param outcome        empty when affinity did not apply (off, or a forced expert)
     * @param decision       the decision to route on
     * @param classification the classification the decision was made on: the routed text's, or the
     *                       turn's own after a topic change
     * @param domain         the conversation's domain after this turn: the remembered one unless the
     *                       topic changed or nothing was remembered (a follow-up like "shorter
     *                       please" is still about the conversation's subject)
     * @param reason         why, for logs and the dry run
     */
    public record Verdict(Optional<AffinityOutcome> outcome, RoutingDecision decision, Classification classification,
            String domain, String reason) {
    }

    /**
     * @param routed    the classification of the routed text
     * @param turnAlone the last user turn's classification on its own ({@code routed} when that is the
     *                  same text)
     * @param rank      ranks the experts for a classification; called exactly once, on the
     *                  classification the turn is routed on (the turn's own after a topic change)
     */
    public static Verdict apply(PolicyConfig.Affinity affinity, boolean forced, Optional<RememberedChoice> remembered,
            Classification routed, Classification turnAlone, Function<Classification, RoutingDecision> rank) {
        if (!affinity.enabled() || forced) {
            return new Verdict(Optional.empty(), rank.apply(routed), routed, routed.domain(),
                    forced ? "forced expert" : "affinity off");
        }
        if (remembered.isEmpty()) {
            return new Verdict(Optional.of(AffinityOutcome.NEW), rank.apply(routed), routed, routed.domain(),
                    "new conversation");
        }
        RememberedChoice previous = remembered.get();
        if (topicChanged(affinity, previous, turnAlone)) {
            return new Verdict(Optional.of(AffinityOutcome.SWITCHED), rank.apply(turnAlone),
                    turnAlone, turnAlone.domain(), String.format(Locale.ROOT,
                            "topic changed: %s at %.3f >= %.3f (conversation: %s; turn read %s)", turnAlone.domain(),
                            turnAlone.confidence(), affinity.switchConfidence(), previous.domain(),
                            affinity.topicCheck() == PolicyConfig.Affinity.TopicCheck.CONTEXT ? "in context" : "alone"));
        }
        RoutingDecision decision = rank.apply(routed);
        Optional<Candidate> same = decision.eligible().stream().filter(c -> c.expert().equals(previous.expert()))
                .findFirst();
        if (same.isEmpty()) {
            return new Verdict(Optional.of(AffinityOutcome.SWITCHED), decision, routed, previous.domain(),
                    "expert " + previous.expert() + " is no longer eligible" + why(decision, previous.expert()));
        }
        List<Candidate> ranked = new ArrayList<>(decision.candidates().size());
        ranked.add(same.get());
        decision.candidates().stream().filter(c -> c != same.get()).forEach(ranked::add);
        return new Verdict(Optional.of(AffinityOutcome.KEPT),
                new RoutingDecision(decision.policy(), ranked, decision.reference(), decision.escalation()), routed,
                previous.domain(), "kept " + previous.expert() + " (conversation: " + previous.domain() + ")");
    }

    /** A confident verdict for another domain than the conversation's and than {@code general}. */
    static boolean topicChanged(PolicyConfig.Affinity affinity, RememberedChoice previous, Classification turn) {
        return !turn.isUnknown() && turn.confidence() >= affinity.switchConfidence()
                && !turn.domain().equals(previous.domain()) && !GENERAL.equals(turn.domain());
    }

    /** What to remember once the turn was answered by {@code answeredBy} (after a fallback, not the first choice). */
    public static RememberedChoice next(Verdict verdict, Optional<RememberedChoice> previous, String answeredBy) {
        int turns = previous.map(p -> p.turns() + 1).orElse(1);
        return new RememberedChoice(answeredBy, verdict.domain(), verdict.classification().routerVersion(), turns);
    }

    private static String why(RoutingDecision decision, String expert) {
        return decision.candidates().stream().filter(c -> c.expert().equals(expert) && c.reason() != null)
                .findFirst().map(c -> ": " + c.reason()).orElse("");
    }
}
