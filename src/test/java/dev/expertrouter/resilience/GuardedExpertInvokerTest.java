package dev.expertrouter.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.FaultToleranceConfig;
import dev.expertrouter.config.Price;
import dev.expertrouter.experts.Deadline;
import dev.expertrouter.experts.ExpertCallException;
import dev.expertrouter.experts.ExpertReply;
import dev.expertrouter.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The guard layer against a scripted expert: no container, no network. */
class GuardedExpertInvokerTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScriptedInvoker expertCalls = new ScriptedInvoker();

    private static ExpertConfig expert(int maxConcurrency, FaultToleranceConfig ft) {
        return new ExpertConfig("x", "http://127.0.0.1:1/v1", "m", null, Map.of(), Price.FREE, Map.of("general", 0.5),
                100, 8192, 1_000, maxConcurrency, Optional.empty(), ft);
    }

    private static FaultToleranceConfig ft(int retries, int requestVolume, int openDelayMs) {
        return new FaultToleranceConfig(retries, 1, 0, 0.5, requestVolume, openDelayMs, 2, 1);
    }

    private ExpertGuards guards(java.util.function.LongSupplier nanoClock) {
        return new ExpertGuards(StandaloneGuards.builders(), nanoClock, registry);
    }

    private Deadline deadline(Duration budget) {
        return new Deadline(clock::get, budget);
    }

    private static Uni<ExpertReply> call(GuardedExpertInvoker invoker, ExpertConfig expert, Deadline deadline) {
        return invoker.complete(expert, JsonNodeFactory.instance.objectNode(), "req-1", deadline);
    }

    private static ExpertCallException failureOf(Uni<ExpertReply> uni) {
        Throwable t = uni.subscribe().withSubscriber(UniAssertSubscriber.create()).awaitFailure(Duration.ofSeconds(5)).getFailure();
        assertThat(t).isInstanceOf(ExpertCallException.class);
        return (ExpertCallException) t;
    }

    @Test
    void retriesA503AndSucceeds() {
        GuardedExpertInvoker invoker = new GuardedExpertInvoker(expertCalls, guards(clock::get), clock::get);
        expertCalls.thenFail(503, Optional.empty()).thenFail(502, Optional.empty());

        call(invoker, expert(4, ft(2, 20, 5_000)), deadline(Duration.ofSeconds(10)))
                .subscribe().withSubscriber(UniAssertSubscriber.create()).awaitItem(Duration.ofSeconds(5));

        assertThat(expertCalls.attempts).hasValue(3);
        assertThat(registry.counter(MetricNames.EXPERT_RETRIES, "expert", "x").count()).isEqualTo(2);
    }

    @Test
    void neverRetriesTheExpertsVerdictOnTheRequest() {
        GuardedExpertInvoker invoker = new GuardedExpertInvoker(expertCalls, guards(clock::get), clock::get);
        ExpertConfig x = expert(4, ft(3, 2, 5_000));
        for (int status : new int[] {400, 404, 413, 422}) {
            expertCalls.thenFail(status, Optional.empty());
            assertThat(failureOf(call(invoker, x, deadline(Duration.ofSeconds(10)))).status()).isEqualTo(status);
        }
        assertThat(expertCalls.attempts).hasValue(4);
        // nor do they count against the expert: its circuit (window of 2) stays closed
        assertThat(registry.get(MetricNames.EXPERT_CIRCUIT_STATE).tag("expert", "x").gauge().value()).isZero();
    }

    @Test
    void aRefusedGatewayKeyIsNotRetriedButCountsAgainstTheExpert() {
        GuardedExpertInvoker invoker = new GuardedExpertInvoker(expertCalls, guards(clock::get), clock::get);
        ExpertConfig x = expert(4, ft(3, 2, 5_000));
        for (int status : new int[] {401, 403}) {
            expertCalls.thenFail(status, Optional.empty());
            assertThat(failureOf(call(invoker, x, deadline(Duration.ofSeconds(10)))).status()).isEqualTo(status);
        }
        assertThat(expertCalls.attempts).hasValue(2);
        // every call with a wrong key fails: the circuit (window of 2) opens so routing goes around it
        assertThat(registry.get(MetricNames.EXPERT_CIRCUIT_STATE).tag("expert", "x").gauge().value()).isEqualTo(2.0);
    }

    @Test
    void honoursRetryAfter() {
        GuardedExpertInvoker invoker = new GuardedExpertInvoker(expertCalls, guards(clock::get), clock::get);
        expertCalls.thenFail(429, Optional.of(1));
        long started = System.nanoTime();

        call(invoker, expert(4, ft(2, 20, 5_000)), deadline(Duration.ofSeconds(10)))
                .subscribe().withSubscriber(UniAssertSubscriber.create()).awaitItem(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(expertCalls.attempts).hasValue(2);
    }

    @Test
    void aRetryAfterLongerThanTheDeadlineEndsTheCallSoItCanFallBack() {
        GuardedExpertInvoker invoker = new GuardedExpertInvoker(expertCalls, guards(clock::get), clock::get);
        expertCalls.thenFail(503, Optional.of(30));
        long started = System.nanoTime();

        ExpertCallException e = failureOf(call(invoker, expert(4, ft(2, 20, 5_000)), deadline(Duration.ofSeconds(5))));

        assertThat(e.status()).isEqualTo(503);
        assertThat(expertCalls.attempts).hasValue(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void retriesStopWhenTheDeadlineLeavesNoRoom() {
        GuardedExpertInvoker invoker = new GuardedExpertInvoker(expertCalls, guards(clock::get), clock::get);
        // every attempt takes 600 ms of the injected clock and fails with a retryable 503
        expertCalls.otherwise(() -> {
            clock.addAndGet(Duration.ofMillis(600).toNanos());
            return Uni.createFrom().failure(ScriptedInvoker.failure(503, Optional.empty()));
        });

        ExpertCallException e = failureOf(call(invoker, expert(4, ft(5, 50, 5_000)), deadline(Duration.ofMillis(1_000))));

        assertThat(e.status()).isEqualTo(503);
        assertThat(expertCalls.attempts).hasValue(2);
    }

    /** Four failing calls: with a request volume of 4 and a failure ratio of 0.5, the circuit opens. */
    private void openCircuit(GuardedExpertInvoker invoker, ExpertConfig x) {
        for (int i = 0; i < 4; i++) {
            expertCalls.thenFail(503, Optional.empty());
            failureOf(call(invoker, x, deadline(Duration.ofSeconds(10))));
        }
    }

    @Test
    void anOpenCircuitRejectsFastAndRoutingWaitsOutItsDelayOnTheInjectedClock() {
        ExpertGuards guards = guards(clock::get);
        GuardedExpertInvoker invoker = new GuardedExpertInvoker(expertCalls, guards, clock::get);
        // SmallRye times the open delay on the wall clock: a minute keeps it open however slow the machine
        ExpertConfig x = expert(4, ft(0, 4, 60_000));
        openCircuit(invoker, x);
        assertThat(guards.current("x").orElseThrow().circuit()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(guards.unavailableReason("x")).get().asString().contains("circuit open");
        assertThat(registry.get(MetricNames.EXPERT_CIRCUIT_STATE).tag("expert", "x").gauge().value()).isEqualTo(2.0);

        ExpertCallException rejected = failureOf(call(invoker, x, deadline(Duration.ofSeconds(10))));
        assertThat(rejected.code()).isEqualTo(ExpertGuard.CIRCUIT_OPEN);
        assertThat(rejected.status()).isEqualTo(503);
        // Retry-After: what is left of the open delay, on the injected clock
        assertThat(rejected.retryAfterSeconds()).contains(60);
        assertThat(rejected.isClientError()).isFalse();
        assertThat(expertCalls.attempts).hasValue(4);

        // routing's view runs on the injected clock: the expert is skipped until the delay is over, then a probe may go
        clock.addAndGet(Duration.ofMillis(59_999).toNanos());
        assertThat(guards.unavailableReason("x")).get().asString().contains("circuit open (1 ms until a probe)");
        clock.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(guards.unavailableReason("x")).isEmpty();
    }

    @Test
    void pastItsDelayTheCircuitHalfOpensOnATrialCallAndClosesAfterEnoughSuccesses() {
        ExpertGuards guards = guards(clock::get);
        GuardedExpertInvoker invoker = new GuardedExpertInvoker(expertCalls, guards, clock::get);
        // SmallRye times the open delay on the wall clock; only its lower bound is asserted, so a short one races nothing
        ExpertConfig x = expert(4, ft(0, 4, 200));
        long beforeOpening = System.nanoTime();
        openCircuit(invoker, x);
        assertThat(guards.current("x").orElseThrow().circuit()).isEqualTo(CircuitBreakerState.OPEN);

        dev.expertrouter.testing.Deadline.await("a trial call passes the open circuit", () -> passes(call(invoker, x,
                deadline(Duration.ofSeconds(10)))));
        assertThat(Duration.ofNanos(System.nanoTime() - beforeOpening)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(expertCalls.attempts).hasValue(5);
        assertThat(guards.current("x").orElseThrow().circuit()).isEqualTo(CircuitBreakerState.HALF_OPEN);
        assertThat(registry.get(MetricNames.EXPERT_CIRCUIT_STATE).tag("expert", "x").gauge().value()).isEqualTo(1.0);

        // a success threshold of 2: the second trial closes it
        call(invoker, x, deadline(Duration.ofSeconds(10))).subscribe().withSubscriber(UniAssertSubscriber.create())
                .awaitItem(Duration.ofSeconds(5));
        assertThat(expertCalls.attempts).hasValue(6);
        assertThat(guards.current("x").orElseThrow().circuit()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(registry.get(MetricNames.EXPERT_CIRCUIT_STATE).tag("expert", "x").gauge().value()).isEqualTo(0.0);
    }

    /** True when the call reached the expert and succeeded, false when the open circuit refused it; any other failure fails the test. */
    private static boolean passes(Uni<ExpertReply> call) {
        return call.onItem().transform(reply -> true)
                .onFailure(t -> t instanceof ExpertCallException e && ExpertGuard.CIRCUIT_OPEN.equals(e.code()))
                .recoverWithItem(false)
                .await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void bulkheadMakesTheExpertIneligibleAndRejectsPastItsQueue() {
        ExpertGuards guards = guards(clock::get);
        GuardedExpertInvoker invoker = new GuardedExpertInvoker(expertCalls, guards, clock::get);
        ExpertConfig x = expert(2, ft(0, 20, 5_000));
        expertCalls.otherwise(expertCalls::hang);

        var first = call(invoker, x, deadline(Duration.ofSeconds(30))).subscribe().withSubscriber(UniAssertSubscriber.create());
        var second = call(invoker, x, deadline(Duration.ofSeconds(30))).subscribe().withSubscriber(UniAssertSubscriber.create());
        assertThat(guards.unavailableReason("x")).get().asString().contains("concurrency limit");
        var queued = call(invoker, x, deadline(Duration.ofSeconds(30))).subscribe().withSubscriber(UniAssertSubscriber.create());

        ExpertCallException rejected = failureOf(call(invoker, x, deadline(Duration.ofSeconds(30))));
        assertThat(rejected.code()).isEqualTo(ExpertGuard.CONCURRENCY_LIMIT);
        assertThat(rejected.status()).isEqualTo(503);
        assertThat(rejected.retryAfterSeconds()).contains(1);
        assertThat(expertCalls.attempts).hasValue(2);

        first.cancel();
        second.cancel();
        queued.cancel();
        assertThat(expertCalls.cancellations.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void cancellingTheCallStopsTheAttemptAndFreesItsSlot() {
        ExpertGuards guards = guards(clock::get);
        GuardedExpertInvoker invoker = new GuardedExpertInvoker(expertCalls, guards, clock::get);
        ExpertConfig x = expert(1, ft(2, 20, 5_000));
        expertCalls.then(expertCalls::hang);

        var running = call(invoker, x, deadline(Duration.ofSeconds(30))).subscribe().withSubscriber(UniAssertSubscriber.create());
        assertThat(guards.current("x").orElseThrow().inFlight()).isEqualTo(1);
        running.cancel();

        assertThat(expertCalls.cancellations).hasValue(1);
        assertThat(guards.current("x").orElseThrow().inFlight()).isZero();
        call(invoker, x, deadline(Duration.ofSeconds(30))).subscribe().withSubscriber(UniAssertSubscriber.create()).awaitItem();
        assertThat(expertCalls.attempts).hasValue(2);
    }

    @Test
    void guardsAreRebuiltWhenAReloadChangesTheirSettings() {
        ExpertGuards guards = guards(clock::get);
        ExpertGuard before = guards.guardFor(expert(4, ft(2, 20, 5_000)));

        assertThat(guards.guardFor(expert(4, ft(2, 20, 5_000)))).isSameAs(before);
        assertThat(guards.guardFor(expert(8, ft(2, 20, 5_000)))).isNotSameAs(before);
        ExpertGuard changed = guards.guardFor(expert(8, ft(1, 20, 5_000)));
        assertThat(changed.expert().faultTolerance().retries()).isEqualTo(1);

        guards.retain(java.util.List.of());
        assertThat(guards.current("x")).isEmpty();
    }
}
