package dev.expertrouter.routing.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.Price;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.SimulatedConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.MetricNames;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import dev.expertrouter.routing.policy.ExpertStats;
import dev.expertrouter.routing.policy.PolicyEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A conversation through the real policy engine with affinity: follow-ups keep their expert, a
 * confident topic change switches, and an expert that is no longer eligible (open circuit, tenant
 * allow-list, the caller's cost ceiling) is left mid-conversation.
 */
class ConversationAffinityTest {

    // quality-only policy, so rankings are hand-checkable: the best expert for the domain wins
    static final ExpertConfig MED = expert("med", 10, Map.of("medical", 0.90, "general", 0.60, "code", 0.50));
    static final ExpertConfig GEN = expert("gen", 1, Map.of("medical", 0.80, "general", 0.70, "code", 0.60));
    static final ExpertConfig CODE = expert("code", 2, Map.of("medical", 0.50, "general", 0.60, "code", 0.90));
    static final PolicyConfig POLICY = new PolicyConfig("p", Optional.empty(), "", new PolicyConfig.Weights(1, 0, 0),
            PolicyConfig.Limits.NONE, List.of(), List.of(),
            new PolicyConfig.Escalation(0, PolicyConfig.EscalationMode.STRONGEST, Optional.empty(), 2), List.of(),
            Optional.empty(), new PolicyConfig.Affinity(true, 0.85, Duration.ofMinutes(30)));
    static final TenantConfig TENANT = tenant(List.of());

    static final Turn FIRST = new Turn("user", "my knee hurts after running, what could it be?");
    static final ChatPrompt OPENING = new ChatPrompt(List.of(FIRST));
    static final ChatPrompt FOLLOW_UP = new ChatPrompt(List.of(FIRST, new Turn("assistant", "Maybe runner's knee."),
            new Turn("user", "shorter please")));

    final AtomicLong now = new AtomicLong();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ConversationAffinity affinity = new ConversationAffinity(new LocalAffinityStore(100, now::get), registry);
    final Set<String> open = new HashSet<>();
    final PolicyEngine engine = new PolicyEngine(id -> open.contains(id) ? Optional.of("circuit open") : Optional.empty(),
            new ExpertStats());
    int requests;

    static ExpertConfig expert(String id, double price, Map<String, Double> quality) {
        return new ExpertConfig(id, "", id, null, Map.of(), new Price(price, price), quality, 100, 8192, 30_000, 64,
                Optional.of(SimulatedConfig.DEFAULTS));
    }

    static TenantConfig tenant(List<String> allowed) {
        return new TenantConfig("t", List.of("0".repeat(64)), "p", List.of(), allowed, dev.expertrouter.config.TenantLimits.NONE);
    }

    static Classification verdict(String domain, double confidence) {
        return new Classification(domain, confidence, Map.of(domain, confidence), "v4", null);
    }

    /** One chat turn: look up, decide, apply, answer with the first choice, record the outcome. */
    AffinityRule.Verdict turn(ChatPrompt prompt, Classification c, TenantConfig tenant, OptionalDouble maxCost) {
        ConversationAffinity.Lookup lookup = affinity.lookup("t", prompt, Optional.empty(), POLICY, false)
                .toCompletableFuture().join();
        RouterConfig config = new RouterConfig(List.of(MED, GEN, CODE), List.of(POLICY), "p", List.of(tenant));
        java.util.function.Function<Classification, RoutingDecision> rank = x -> engine.select(new RoutingRequest(config,
                tenant, POLICY, x, 744, OptionalInt.empty(), maxCost, OptionalLong.empty(), Optional.empty()));
        String requestId = "req-" + ++requests;
        // in these tests the routed text's classification stands for the turn's own as well
        AffinityRule.Verdict verdict = affinity.apply(lookup, c, c, rank, Optional.of(requestId));
        affinity.onOutcome(answered(requestId, verdict.decision().chosen().orElseThrow().expert(), 200));
        return verdict;
    }

    AffinityRule.Verdict turn(ChatPrompt prompt, Classification c) {
        return turn(prompt, c, TENANT, OptionalDouble.empty());
    }

    static String expertOf(AffinityRule.Verdict v) {
        return v.decision().chosen().orElseThrow().expert();
    }

    static OutcomeRecord answered(String requestId, String expert, int status) {
        return new OutcomeRecord(requestId, Instant.EPOCH, "t", "p", "v4", "medical", 0.9, Map.of(), false, expert,
                List.of(), List.of(), status, null, status, false, 10, 10, 10, 0, 0, "0", null, null, 5, null, false,
                "new", false);
    }

    double count(String outcome) {
        var counter = registry.find(MetricNames.AFFINITY_DECISIONS).tag("policy", "p").tag("affinity", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aFollowUpWithoutATopicKeepsItsExpert() {
        AffinityRule.Verdict first = turn(OPENING, verdict("medical", 0.95));
        assertThat(first.outcome()).hasValue(AffinityOutcome.NEW);
        assertThat(expertOf(first)).isEqualTo("med");

        // alone, "shorter please" would go to gen (general: gen 0.70 > med 0.60 = code 0.60)
        AffinityRule.Verdict second = turn(FOLLOW_UP, verdict("general", 0.62));

        assertThat(second.outcome()).hasValue(AffinityOutcome.KEPT);
        assertThat(expertOf(second)).isEqualTo("med");
        assertThat(count("new")).isEqualTo(1);
        assertThat(count("kept")).isEqualTo(1);
    }

    @Test
    void aConfidentTopicChangeSwitches() {
        turn(OPENING, verdict("medical", 0.95));

        AffinityRule.Verdict change = turn(new ChatPrompt(List.of(FIRST, new Turn("assistant", "Rest it."),
                new Turn("user", "unrelated: why does my Python loop never end? while i < 10: print(i)"))),
                verdict("code", 0.93));

        assertThat(change.outcome()).hasValue(AffinityOutcome.SWITCHED);
        assertThat(expertOf(change)).isEqualTo("code");
        // the conversation is now about code: an unsure follow-up stays with the code expert
        AffinityRule.Verdict after = turn(new ChatPrompt(List.of(FIRST, new Turn("assistant", "Rest it."),
                new Turn("user", "unrelated: why does my Python loop never end?"), new Turn("assistant", "i never grows."),
                new Turn("user", "why?"))), verdict("general", 0.5));
        assertThat(after.outcome()).hasValue(AffinityOutcome.KEPT);
        assertThat(expertOf(after)).isEqualTo("code");
        assertThat(count("switched")).isEqualTo(1);
    }

    @Test
    void anOpenCircuitMovesTheConversationMidWay() {
        turn(OPENING, verdict("medical", 0.95));
        open.add("med");

        AffinityRule.Verdict second = turn(FOLLOW_UP, verdict("general", 0.62));

        assertThat(second.outcome()).hasValue(AffinityOutcome.SWITCHED);
        assertThat(expertOf(second)).isEqualTo("gen");
        assertThat(second.reason()).contains("med is no longer eligible: circuit open");
        // med is back, but the conversation now belongs to gen, which answered the last turn
        open.clear();
        AffinityRule.Verdict third = turn(FOLLOW_UP, verdict("general", 0.62));
        assertThat(expertOf(third)).isEqualTo("gen");
        assertThat(third.outcome()).hasValue(AffinityOutcome.KEPT);
    }

    @Test
    void aTenantNoLongerAllowedTheExpertLeavesIt() {
        turn(OPENING, verdict("medical", 0.95));

        AffinityRule.Verdict second = turn(FOLLOW_UP, verdict("general", 0.62), tenant(List.of("gen", "code")),
                OptionalDouble.empty());

        assertThat(second.outcome()).hasValue(AffinityOutcome.SWITCHED);
        assertThat(expertOf(second)).isEqualTo("gen");
    }

    @Test
    void aCostCeilingTheExpertBreaksLeavesIt() {
        turn(OPENING, verdict("medical", 0.95));

        // med costs (744 + 256) x 10 / 1M = 0.010 USD, over the caller's 0.005
        AffinityRule.Verdict second = turn(FOLLOW_UP, verdict("general", 0.62), TENANT, OptionalDouble.of(0.005));

        assertThat(second.outcome()).hasValue(AffinityOutcome.SWITCHED);
        assertThat(expertOf(second)).isEqualTo("gen");
    }

    @Test
    void aFailedTurnIsNotRememberedAndAForgottenConversationStartsOver() {
        ConversationAffinity.Lookup lookup = affinity.lookup("t", OPENING, Optional.empty(), POLICY, false)
                .toCompletableFuture().join();
        RoutingDecision d = engine.select(new RoutingRequest(new RouterConfig(List.of(MED, GEN, CODE), List.of(POLICY),
                "p", List.of(TENANT)), TENANT, POLICY, verdict("medical", 0.95), 744, OptionalInt.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), Optional.empty()));
        affinity.apply(lookup, verdict("medical", 0.95), verdict("medical", 0.95), x -> d, Optional.of("failed"));
        affinity.onOutcome(answered("failed", "med", 502));
        assertThat(affinity.pendingCount()).isZero();

        assertThat(turn(FOLLOW_UP, verdict("general", 0.62)).outcome()).hasValue(AffinityOutcome.NEW);
        now.addAndGet(Duration.ofMinutes(30).toNanos());
        assertThat(turn(FOLLOW_UP, verdict("general", 0.62)).outcome()).hasValue(AffinityOutcome.NEW);
    }

    @Test
    void aTurnNoExpertCanTakeIsRefusedSoNothingWaitsToBeRemembered() {
        ConversationAffinity.Lookup lookup = affinity.lookup("t", FOLLOW_UP, Optional.empty(), POLICY, false)
                .toCompletableFuture().join();
        RoutingDecision none = new RoutingDecision("p", List.of());

        assertThat(affinity.apply(lookup, verdict("general", 0.5), verdict("general", 0.5), x -> none,
                Optional.of("refused")).outcome()).hasValue(AffinityOutcome.NEW);
        assertThat(affinity.pendingCount()).isZero();
    }

    @Test
    void offAndForcedRequestsLeaveNothingBehind() {
        PolicyConfig off = new PolicyConfig("p", Optional.empty());
        ConversationAffinity.Lookup lookup = affinity.lookup("t", FOLLOW_UP, Optional.empty(), off, false)
                .toCompletableFuture().join();
        ConversationAffinity.Lookup forced = affinity.lookup("t", FOLLOW_UP, Optional.empty(), POLICY, true)
                .toCompletableFuture().join();

        assertThat(lookup.id()).isEmpty();
        assertThat(forced.id()).isEmpty();
        RoutingDecision d = new RoutingDecision("p", List.of());
        assertThat(affinity.apply(forced, verdict("general", 0.5), verdict("general", 0.5), x -> d, Optional.of("x"))
                .outcome()).isEmpty();
        assertThat(affinity.pendingCount()).isZero();
    }

    @Test
    void theTurnAloneIsClassifiedOnlyWhenItMayContinueAConversationAndIsShort() {
        assertThat(ConversationAffinity.turnAlone(FOLLOW_UP, POLICY, false, false))
                .hasValue(new ChatPrompt(List.of(new Turn("user", "shorter please"))));
        assertThat(ConversationAffinity.turnAlone(OPENING, POLICY, false, false)).isEmpty(); // a first turn
        assertThat(ConversationAffinity.turnAlone(OPENING, POLICY, false, true)).isEmpty(); // routed text is the turn
        ChatPrompt namedWithSystem = new ChatPrompt(List.of(new Turn("system", "You are terse."), FIRST));
        assertThat(ConversationAffinity.turnAlone(namedWithSystem, POLICY, false, true)).isPresent();
        assertThat(ConversationAffinity.turnAlone(FOLLOW_UP, POLICY, true, false)).isEmpty(); // forced
        assertThat(ConversationAffinity.turnAlone(FOLLOW_UP, new PolicyConfig("p", Optional.empty()), false, false))
                .isEmpty(); // affinity off
        ChatPrompt longTurn = new ChatPrompt(List.of(FIRST, new Turn("assistant", "ok"), new Turn("user", "x".repeat(200))));
        assertThat(ConversationAffinity.turnAlone(longTurn, POLICY, false, false)).isEmpty(); // routed alone anyway
    }
}
