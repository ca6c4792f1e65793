package dev.expertrouter.routing.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.IneligibleReason;
import dev.expertrouter.routing.RoutingDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The four clauses of {@link AffinityRule}, on hand-built decisions. */
class AffinityRuleTest {

    static final PolicyConfig.Affinity ON = new PolicyConfig.Affinity(true, 0.85, Duration.ofMinutes(30));
    static final RememberedChoice MED = new RememberedChoice("med", "medical", "v4", 1);

    // the policy's ranking of the routed text: gen, code, med eligible in that order; legal ineligible
    static final RoutingDecision DECISION = new RoutingDecision("p", List.of(
            new Candidate("gen", 0.7, 0.7, 0.001, 100, true, null),
            new Candidate("code", 0.6, 0.6, 0.002, 200, true, null),
            new Candidate("med", 0.5, 0.6, 0.010, 1000, true, null),
            new Candidate("legal", 0.9, 0.9, 0.003, 300, false, "circuit open", IneligibleReason.UNAVAILABLE)));
    // the policy's ranking of the turn on its own
    static final RoutingDecision RANKED_ALONE = new RoutingDecision("p", List.of(
            new Candidate("code", 0.9, 0.9, 0.002, 200, true, null),
            new Candidate("gen", 0.6, 0.6, 0.001, 100, true, null)));

    // every classification the rule ranked on, in order: each turn must be ranked exactly once
    final List<Classification> ranked = new ArrayList<>();

    static Classification verdict(String domain, double confidence) {
        return new Classification(domain, confidence, Map.of(domain, confidence), "v4", null);
    }

    AffinityRule.Verdict apply(Optional<RememberedChoice> remembered, Classification routed, Classification alone) {
        return AffinityRule.apply(ON, false, remembered, routed, alone, c -> {
            ranked.add(c);
            return c == routed ? DECISION : RANKED_ALONE;
        });
    }

    static List<String> order(RoutingDecision d) {
        return d.candidates().stream().map(Candidate::expert).toList();
    }

    @Test
    void nothingRememberedIsNewAndLeavesTheRanking() {
        Classification routed = verdict("code", 0.99);
        AffinityRule.Verdict v = apply(Optional.empty(), routed, routed);

        assertThat(v.outcome()).hasValue(AffinityOutcome.NEW);
        assertThat(v.decision()).isSameAs(DECISION);
        assertThat(v.classification()).isSameAs(routed);
        assertThat(v.domain()).isEqualTo("code");
        assertThat(ranked).containsExactly(routed);
    }

    @Test
    void aFollowUpWithoutATopicKeepsTheExpertFirstAndThePolicysOrderBehindIt() {
        // "shorter please": small talk on its own, even confidently so
        Classification routed = verdict("general", 0.60);
        AffinityRule.Verdict v = apply(Optional.of(MED), routed, verdict("general", 0.97));

        assertThat(v.outcome()).hasValue(AffinityOutcome.KEPT);
        assertThat(order(v.decision())).containsExactly("med", "gen", "code", "legal");
        assertThat(v.decision().chosen().orElseThrow().expert()).isEqualTo("med");
        assertThat(v.domain()).isEqualTo("medical");
        assertThat(v.decision().policy()).isEqualTo("p");
        assertThat(ranked).containsExactly(routed);
    }

    @Test
    void aConfidentTurnOnItsOwnSwitchesAndIsRankedOnItsOwnClassification() {
        // the routed text still leans medical (the previous turn is in it); the turn alone is code
        Classification alone = verdict("code", 0.93);
        AffinityRule.Verdict v = apply(Optional.of(MED), verdict("medical", 0.70), alone);

        assertThat(v.outcome()).hasValue(AffinityOutcome.SWITCHED);
        assertThat(v.decision()).isSameAs(RANKED_ALONE);
        // only on the turn's own classification: the routed text's ranking would be thrown away
        assertThat(ranked).containsExactly(alone);
        assertThat(v.classification()).isSameAs(alone);
        assertThat(v.domain()).isEqualTo("code");
        assertThat(v.reason()).isEqualTo("topic changed: code at 0.930 >= 0.850 (conversation: medical; turn read in context)");
    }

    @Test
    void whenTheRoutedTextIsTheTurnItselfItsDecisionIsReused() {
        Classification both = verdict("code", 0.93);
        AffinityRule.Verdict v = apply(Optional.of(MED), both, both);

        assertThat(v.outcome()).hasValue(AffinityOutcome.SWITCHED);
        assertThat(v.decision()).isSameAs(DECISION);
        assertThat(ranked).containsExactly(both);
    }

    @Test
    void theThresholdIsInclusive() {
        Classification routed = verdict("medical", 0.6);

        assertThat(apply(Optional.of(MED), routed, verdict("code", 0.8499)).outcome()).hasValue(AffinityOutcome.KEPT);
        assertThat(apply(Optional.of(MED), routed, verdict("code", 0.85)).outcome()).hasValue(AffinityOutcome.SWITCHED);
    }

    @Test
    void generalNeverMovesAConversationNorDoesTheSameDomain() {
        Classification routed = verdict("general", 0.6);

        assertThat(apply(Optional.of(MED), routed, verdict("general", 0.999)).outcome()).hasValue(AffinityOutcome.KEPT);
        assertThat(apply(Optional.of(MED), routed, verdict("medical", 0.99)).outcome()).hasValue(AffinityOutcome.KEPT);
        RememberedChoice smallTalk = new RememberedChoice("gen", "general", "v4", 1);
        assertThat(apply(Optional.of(smallTalk), routed, verdict("medical", 0.9)).outcome())
                .hasValue(AffinityOutcome.SWITCHED);
    }

    @Test
    void anIneligibleExpertIsLeftWhenTheTopicStays() {
        RememberedChoice legal = new RememberedChoice("legal", "legal", "v4", 3);
        AffinityRule.Verdict v = apply(Optional.of(legal), verdict("legal", 0.4), verdict("general", 0.9));

        assertThat(v.outcome()).hasValue(AffinityOutcome.SWITCHED);
        assertThat(v.decision()).isSameAs(DECISION);
        assertThat(v.reason()).isEqualTo("expert legal is no longer eligible: circuit open");
        // the topic did not change: the conversation stays legal for its next turn
        assertThat(v.domain()).isEqualTo("legal");
    }

    @Test
    void anExpertGoneFromTheConfigIsLeft() {
        RememberedChoice gone = new RememberedChoice("retired", "medical", "v3", 2);

        assertThat(apply(Optional.of(gone), verdict("general", 0.5), verdict("general", 0.5)).outcome())
                .hasValue(AffinityOutcome.SWITCHED);
    }

    @Test
    void anUnknownClassificationNeverChangesTheTopic() {
        AffinityRule.Verdict v = apply(Optional.of(MED), Classification.unknown(), Classification.unknown());

        assertThat(v.outcome()).hasValue(AffinityOutcome.KEPT);
    }

    @Test
    void offOrForcedLeavesNoVerdict() {
        PolicyConfig.Affinity off = new PolicyConfig.Affinity(false, 0.85, Duration.ofMinutes(30));
        Classification c = verdict("code", 0.99);

        AffinityRule.Verdict disabled = AffinityRule.apply(off, false, Optional.of(MED), c, c, x -> DECISION);
        AffinityRule.Verdict forced = AffinityRule.apply(ON, true, Optional.of(MED), c, c, x -> DECISION);

        assertThat(disabled.outcome()).isEmpty();
        assertThat(disabled.decision()).isSameAs(DECISION);
        assertThat(forced.outcome()).isEmpty();
        assertThat(forced.decision()).isSameAs(DECISION);
    }

    @Test
    void theNextChoiceCountsTurnsAndNamesTheExpertThatAnswered() {
        AffinityRule.Verdict kept = apply(Optional.of(MED), verdict("general", 0.6), verdict("general", 0.6));

        // med failed and gen answered after a fallback: the conversation now belongs to gen
        assertThat(AffinityRule.next(kept, Optional.of(MED), "gen")).isEqualTo(new RememberedChoice("gen", "medical", "v4", 2));
        AffinityRule.Verdict fresh = apply(Optional.empty(), verdict("code", 0.9), verdict("code", 0.9));
        assertThat(AffinityRule.next(fresh, Optional.empty(), "code")).isEqualTo(new RememberedChoice("code", "code", "v4", 1));
    }
}
