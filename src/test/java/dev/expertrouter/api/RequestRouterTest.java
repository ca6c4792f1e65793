package dev.expertrouter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.MetricNames;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.metrics.RoutingMetrics;
import dev.expertrouter.metrics.ScorecardMetrics;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.IneligibleReason;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import dev.expertrouter.routing.RoutingStage;
import dev.expertrouter.routing.affinity.AffinityOutcome;
import dev.expertrouter.routing.affinity.AffinityRule;
import dev.expertrouter.routing.affinity.ConversationAffinity;
import dev.expertrouter.routing.affinity.ConversationId;
import dev.expertrouter.routing.affinity.LocalAffinityStore;
import dev.expertrouter.routing.affinity.RememberedChoice;
import dev.expertrouter.routing.TurnClassification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One chat request is ranked once per classification it is routed on and its decision counted
 * once, however affinity and the tenant's budget got to it; rank times come from the injected clock.
 * The selector is scripted, so what is counted is exactly what {@link RequestRouter} asked for.
 */
class RequestRouterTest {

    static final PolicyConfig POLICY = new PolicyConfig("p", Optional.empty(), "", new PolicyConfig.Weights(1, 0, 0),
            PolicyConfig.Limits.NONE, List.of(), List.of(),
            new PolicyConfig.Escalation(0.5, PolicyConfig.EscalationMode.STRONGEST, Optional.empty(), 2), List.of(),
            Optional.empty(), new PolicyConfig.Affinity(true, 0.85, Duration.ofMinutes(30)));
    static final TenantConfig TENANT = new TenantConfig("t", List.of("0".repeat(64)), "p", List.of(), List.of(),
            dev.expertrouter.config.TenantLimits.NONE);
    static final RouterConfig CONFIG = new RouterConfig(List.of(), List.of(POLICY), "p", List.of(TENANT));
    static final String ESCALATED = "confidence 0.410 below 0.500: strongest";

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicLong nanos = new AtomicLong();
    final GatewayClock clock = new GatewayClock() {
        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public Instant now() {
            return Instant.EPOCH;
        }
    };
    final RoutingMetrics metrics = new RoutingMetrics(registry, new ScorecardMetrics(registry, settings()), clock);
    final LocalAffinityStore store = new LocalAffinityStore(100, nanos::get);
    final ConversationAffinity affinity = new ConversationAffinity(store, registry);
    final List<RoutingRequest> selected = new ArrayList<>();
    /** Every ranking escalates; under a cost ceiling no expert fits. Each takes 7 µs of the test's clock. */
    final RequestRouter router = new RequestRouter(null, request -> {
        selected.add(request);
        nanos.addAndGet(7_000);
        boolean capped = request.maxCostUsd().isPresent();
        return new RoutingDecision("p", List.of(capped
                ? new Candidate("gen", 0.7, 0.7, 0.001, 100, false, "over the cost ceiling", IneligibleReason.REQUEST_MAX_COST)
                : new Candidate("gen", 0.7, 0.7, 0.001, 100, true, null)), Optional.empty(), Optional.of(ESCALATED));
    }, metrics, affinity, clock);

    static RouterSettings settings() {
        return (RouterSettings) java.lang.reflect.Proxy.newProxyInstance(RouterSettings.class.getClassLoader(),
                new Class<?>[] {RouterSettings.class}, (proxy, method, args) -> {
                    if (method.getName().equals("modelsDir")) {
                        return "router-models";
                    }
                    throw new UnsupportedOperationException("RequestRouterTest does not set router." + method.getName());
                });
    }

    static ChatRequest chat(String... userTurns) {
        StringBuilder messages = new StringBuilder();
        for (String turn : userTurns) {
            messages.append(messages.isEmpty() ? "" : ",").append("{\"role\":\"user\",\"content\":\"").append(turn)
                    .append("\"}");
        }
        return ChatRequestParser.parse(("{\"model\":\"auto\",\"messages\":[" + messages + "]}")
                .getBytes(StandardCharsets.UTF_8));
    }

    static RoutedRequest routed(ChatRequest request) {
        return new RoutedRequest(TENANT, request, new RouteTarget(POLICY, Optional.empty()), OptionalDouble.empty(),
                OptionalLong.empty(), Optional.empty());
    }

    static Classification verdict(String domain, double confidence) {
        return new Classification(domain, confidence, Map.of(domain, confidence), "v4", null);
    }

    double escalations() {
        Counter c = registry.find(MetricNames.ESCALATIONS).tag("policy", "p").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aTopicChangeIsRankedOnceOnTheTurnsOwnClassificationAndCountedOnce() {
        ChatRequest follow = chat("my knee hurts after running", "and how do I sort a list in python?");
        store.remember(ConversationId.of("t", follow.prompt(), Optional.empty()).key(),
                new RememberedChoice("gen", "medical", "v4", 1), Duration.ofMinutes(30));
        ConversationAffinity.Lookup lookup = affinity.lookup("t", follow.prompt(), Optional.empty(), POLICY, false)
                .toCompletableFuture().join();
        Classification routedText = verdict("medical", 0.41);
        Classification alone = verdict("code", 0.95);

        AffinityRule.Verdict verdict = router.decideTurn(routed(follow),
                new RequestRouter.ClassifiedTurn(new TurnClassification(routedText, alone), lookup), CONFIG,
                Optional.of("r1"));
        router.accept(verdict.decision(), verdict.classification());

        assertThat(verdict.outcome()).hasValue(AffinityOutcome.SWITCHED);
        assertThat(selected).extracting(RoutingRequest::classification).containsExactly(alone);
        assertThat(escalations()).isEqualTo(1);
        assertThat(registry.find(MetricNames.DECISION_DURATION).tag("stage", RoutingStage.RANK.tag()).timer()
                .totalTime(TimeUnit.NANOSECONDS)).isEqualTo(7_000);
    }

    @Test
    void aBudgetThatNoExpertFitsRanksAgainWithoutItButCountsOneDecision() {
        RoutedRequest request = routed(chat("what is an integral?"));
        Classification c = verdict("math", 0.41);

        RoutingDecision decision = router.accept(RequestRouter.withinBudget(request, OptionalDouble.of(0.00001),
                r -> router.rank(r, c, CONFIG), d -> d), c);

        assertThat(selected).extracting(r -> r.maxCostUsd().isPresent()).containsExactly(true, false);
        assertThat(decision.chosen().orElseThrow().expert()).isEqualTo("gen");
        assertThat(escalations()).isEqualTo(1);
    }

    @Test
    void aBudgetThatCoversTheCallersCeilingRanksOnce() {
        RoutedRequest request = routed(chat("what is an integral?")).withMaxCostUsd(0.001);
        Classification c = verdict("math", 0.41);

        RequestRouter.withinBudget(request, OptionalDouble.of(5), r -> router.rank(r, c, CONFIG), d -> d);

        assertThat(selected).hasSize(1);
    }

    @Test
    void aRefusedDecisionIsCountedOnce() {
        ChatRequest follow = chat("my knee hurts after running", "shorter please");
        ConversationAffinity.Lookup lookup = affinity.lookup("t", follow.prompt(), Optional.empty(), POLICY, false)
                .toCompletableFuture().join();
        Classification c = verdict("general", 0.41);
        RoutedRequest capped = routed(follow).withMaxCostUsd(0.00001);

        AffinityRule.Verdict verdict = router.decideTurn(capped,
                new RequestRouter.ClassifiedTurn(new TurnClassification(c, c), lookup), CONFIG, Optional.of("r2"));

        assertThatThrownBy(() -> router.accept(verdict.decision(), verdict.classification()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("constraint_unmet"));
        assertThat(selected).hasSize(1);
        assertThat(escalations()).isEqualTo(1);
    }
}
