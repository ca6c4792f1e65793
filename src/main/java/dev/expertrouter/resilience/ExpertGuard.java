package dev.expertrouter.resilience;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.FaultToleranceConfig;
import dev.expertrouter.experts.ExpertCallException;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One expert's SmallRye guard (retry around circuit breaker around bulkhead) and what routing needs
 * to know about it: whether the circuit is open and whether every slot is taken. Built for one
 * version of the expert's settings; a reload that changes them builds a new one.
 */
public final class ExpertGuard {

    /** Code of the failure a call gets while the expert's circuit is open. */
    public static final String CIRCUIT_OPEN = "circuit_open";
    /** Code of the failure a call gets when the expert's bulkhead and its queue are full. */
    public static final String CONCURRENCY_LIMIT = "concurrency_limit";

    /** What SmallRye may retry: no answer, 408, 429 and the gateway-ish 5xx; never a 4xx about the request. */
    static final Predicate<Throwable> RETRYABLE = t -> t instanceof ExpertCallException e && e.isRetryable();

    /** What counts against the circuit: the expert's failures, not its fair rejection of a bad request. */
    static final Predicate<Throwable> EXPERT_FAULT = t -> {
        ExpertCallException e = t instanceof RetryRefused r ? r.failure() : t instanceof ExpertCallException x ? x : null;
        return e != null && !e.isClientError();
    };

    private final ExpertConfig expert;
    private final Guard guard;
    private final LongSupplier nanoClock;
    private final ResilienceMetrics metrics;
    private final AtomicReference<CircuitBreakerState> circuit = new AtomicReference<>(CircuitBreakerState.CLOSED);
    private volatile long openedAtNanos;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger openStreams = new AtomicInteger();

    ExpertGuard(ExpertConfig expert, Supplier<Guard.Builder> builders, LongSupplier nanoClock, ResilienceMetrics metrics) {
        this.expert = expert;
        this.nanoClock = nanoClock;
        this.metrics = metrics;
        FaultToleranceConfig ft = expert.faultTolerance();
        Guard.Builder builder = builders.get().withDescription("expert " + expert.id());
        if (ft.retries() > 0) {
            builder = builder.withRetry()
                    .maxRetries(ft.retries())
                    // the request deadline bounds retries; SmallRye's own limit must not cut in first
                    .maxDuration(1, ChronoUnit.DAYS)
                    .whenException(RETRYABLE)
                    .beforeRetry(t -> metrics.retry(expert.id()))
                    .withCustomBackoff().strategy(() -> new RetryBackoff(ft)).done()
                    .done();
        }
        this.guard = builder
                .withCircuitBreaker()
                .requestVolumeThreshold(ft.requestVolume())
                .failureRatio(ft.failureRatio())
                .delay(ft.openDelayMs(), ChronoUnit.MILLIS)
                .successThreshold(ft.successThreshold())
                .when(EXPERT_FAULT)
                .onStateChange(this::circuitChanged)
                .onPrevented(() -> metrics.rejected(expert.id(), CIRCUIT_OPEN))
                .done()
                .withBulkhead()
                .limit(expert.maxConcurrency())
                .queueSize(ft.queueSize())
                .onRejected(() -> metrics.rejected(expert.id(), CONCURRENCY_LIMIT))
                .done()
                .build();
    }

    public ExpertConfig expert() {
        return expert;
    }

    /** Whether this guard was built for the same protection settings as {@code other}. */
    public boolean sameSettings(ExpertConfig other) {
        return expert.faultTolerance().equals(other.faultTolerance()) && expert.maxConcurrency() == other.maxConcurrency();
    }

    <T> Uni<T> guard(Supplier<Uni<T>> attempt, TypeLiteral<Uni<T>> type) {
        return guard.get(attempt, type);
    }

    public CircuitBreakerState circuit() {
        return circuit.get();
    }

    /** Attempts running against the expert right now (queued ones not included). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Streams past their first chunk, still relaying: they hold the expert as much as a call does. */
    public int openStreams() {
        return openStreams.get();
    }

    void streamOpened() {
        openStreams.incrementAndGet();
    }

    void streamEnded() {
        openStreams.decrementAndGet();
    }

    void attemptStarted() {
        inFlight.incrementAndGet();
    }

    void attemptEnded() {
        inFlight.decrementAndGet();
    }

    /**
     * Why routing should skip the expert now. An open circuit counts only until its delay is over:
     * SmallRye moves to half-open on the next call, so routing must let that probe through.
     */
    public Optional<String> unavailableReason() {
        long openLeft = openMillisLeft();
        if (openLeft > 0) {
            return Optional.of("circuit open (" + openLeft + " ms until a probe)");
        }
        int running = inFlight.get() + openStreams.get();
        if (running >= expert.maxConcurrency()) {
            return Optional.of("concurrency limit reached (" + running + " of " + expert.maxConcurrency() + " in flight)");
        }
        return Optional.empty();
    }

    /** Milliseconds an open circuit keeps rejecting; 0 when it is not open or a probe is due. */
    public long openMillisLeft() {
        if (circuit.get() != CircuitBreakerState.OPEN) {
            return 0;
        }
        long left = TimeUnit.MILLISECONDS.toNanos(expert.faultTolerance().openDelayMs()) - (nanoClock.getAsLong() - openedAtNanos);
        return left <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
    }

    private void circuitChanged(CircuitBreakerState state) {
        if (state == CircuitBreakerState.OPEN) {
            openedAtNanos = nanoClock.getAsLong();
        }
        circuit.set(state);
        metrics.circuitChanged(expert.id(), state);
    }
}
