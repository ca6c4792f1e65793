package dev.expertrouter.routing.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.IneligibleReason;
import dev.expertrouter.routing.RoutingDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The four clauses of {@link AffinityRule}, on hand-built decisions. */
class AffinityRuleTest {

    static final PolicyConfig.Affinity ON = new PolicyConfig.Affinity(true, 0.85, Duration.ofMinutes(30));
    static final RememberedChoice MED = new RememberedChoice("med", "medical", "v4", 1);

    // the policy's ranking: gen, code, med eligible in that order; legal ineligible
    static final RoutingDecision DECISION = new RoutingDecision("p", List.of(
            new Candidate("gen", 0.7, 0.7, 0.001, 100, true, null),
            new Candidate("code", 0.6, 0.6, 0.002, 200, true, null),
            new Candidate("med", 0.5, 0.6, 0.010, 1000, true, null),
            new Candidate("legal", 0.9, 0.9, 0.003, 300, false, "circuit open", IneligibleReason.UNAVAILABLE)));

    static Classification verdict(String domain, double confidence) {
        return new Classification(domain, confidence, Map.of(domain, confidence), "v4", null);
    }

    static List<String> order(RoutingDecision d) {
        return d.candidates().stream().map(Candidate::expert).toList();
    }

    @Test
    void nothingRememberedIsNewAndLeavesTheRanking() {
        AffinityRule.Verdict v = AffinityRule.apply(ON, false, Optional.empty(), verdict("code", 0.99), DECISION);

        assertThat(v.outcome()).hasValue(AffinityOutcome.NEW);
        assertThat(v.decision()).isSameAs(DECISION);
        assertThat(v.domain()).isEqualTo("code");
    }

    @Test
    void anUnsureFollowUpKeepsTheExpertFirstAndThePolicysOrderBehindIt() {
        AffinityRule.Verdict v = AffinityRule.apply(ON, false, Optional.of(MED), verdict("general", 0.60), DECISION);

        assertThat(v.outcome()).hasValue(AffinityOutcome.KEPT);
        assertThat(order(v.decision())).containsExactly("med", "gen", "code", "legal");
        assertThat(v.decision().chosen().orElseThrow().expert()).isEqualTo("med");
        // "shorter please" is small talk on its own, but the conversation is still medical
        assertThat(v.domain()).isEqualTo("medical");
        assertThat(v.decision().policy()).isEqualTo("p");
    }

    @Test
    void theThresholdIsInclusive() {
        AffinityRule.Verdict below = AffinityRule.apply(ON, false, Optional.of(MED), verdict("code", 0.8499), DECISION);
        AffinityRule.Verdict at = AffinityRule.apply(ON, false, Optional.of(MED), verdict("code", 0.85), DECISION);

        assertThat(below.outcome()).hasValue(AffinityOutcome.KEPT);
        assertThat(at.outcome()).hasValue(AffinityOutcome.SWITCHED);
        assertThat(at.decision()).isSameAs(DECISION);
        assertThat(at.domain()).isEqualTo("code");
        assertThat(at.reason()).contains("topic changed: code at 0.850 >= 0.850 (conversation: medical)");
    }

    @Test
    void aConfidentVerdictForTheSameDomainKeeps() {
        AffinityRule.Verdict v = AffinityRule.apply(ON, false, Optional.of(MED), verdict("medical", 0.99), DECISION);

        assertThat(v.outcome()).hasValue(AffinityOutcome.KEPT);
        assertThat(v.decision().chosen().orElseThrow().expert()).isEqualTo("med");
    }

    @Test
    void anIneligibleExpertIsLeftWhateverTheTopic() {
        RememberedChoice legal = new RememberedChoice("legal", "legal", "v4", 3);
        AffinityRule.Verdict v = AffinityRule.apply(ON, false, Optional.of(legal), verdict("legal", 0.4), DECISION);

        assertThat(v.outcome()).hasValue(AffinityOutcome.SWITCHED);
        assertThat(v.decision()).isSameAs(DECISION);
        assertThat(v.reason()).isEqualTo("expert legal is no longer eligible: circuit open");
        // the topic did not change: the conversation stays legal for its next turn
        assertThat(v.domain()).isEqualTo("legal");
    }

    @Test
    void anExpertGoneFromTheConfigIsLeft() {
        RememberedChoice gone = new RememberedChoice("retired", "medical", "v3", 2);

        assertThat(AffinityRule.apply(ON, false, Optional.of(gone), verdict("general", 0.5), DECISION).outcome())
                .hasValue(AffinityOutcome.SWITCHED);
    }

    @Test
    void anUnknownClassificationNeverChangesTheTopic() {
        AffinityRule.Verdict v = AffinityRule.apply(ON, false, Optional.of(MED), Classification.unknown(), DECISION);

        assertThat(v.outcome()).hasValue(AffinityOutcome.KEPT);
    }

    @Test
    void offOrForcedLeavesNoVerdict() {
        PolicyConfig.Affinity off = new PolicyConfig.Affinity(false, 0.85, Duration.ofMinutes(30));

        AffinityRule.Verdict disabled = AffinityRule.apply(off, false, Optional.of(MED), verdict("general", 0.5), DECISION);
        AffinityRule.Verdict forced = AffinityRule.apply(ON, true, Optional.of(MED), verdict("general", 0.5), DECISION);

        assertThat(disabled.outcome()).isEmpty();
        assertThat(disabled.decision()).isSameAs(DECISION);
        assertThat(forced.outcome()).isEmpty();
        assertThat(forced.decision()).isSameAs(DECISION);
    }

    @Test
    void theNextChoiceCountsTurnsAndNamesTheExpertThatAnswered() {
        AffinityRule.Verdict kept = AffinityRule.apply(ON, false, Optional.of(MED), verdict("general", 0.6), DECISION);

        // med failed and gen answered after a fallback: the conversation now belongs to gen
        RememberedChoice next = AffinityRule.next(kept, Optional.of(MED), verdict("general", 0.6), "gen");

        assertThat(next).isEqualTo(new RememberedChoice("gen", "medical", "v4", 2));
        AffinityRule.Verdict fresh = AffinityRule.apply(ON, false, Optional.empty(), verdict("code", 0.9), DECISION);
        assertThat(AffinityRule.next(fresh, Optional.empty(), verdict("code", 0.9), "code"))
                .isEqualTo(new RememberedChoice("code", "code", "v4", 1));
    }
}
