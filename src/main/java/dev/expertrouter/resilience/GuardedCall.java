package dev.expertrouter.resilience;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.experts.Deadline;
import dev.expertrouter.experts.ExpertCallException;
import dev.expertrouter.experts.ExpertStream;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.util.TypeLiteral;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * One guarded call to one expert, across its retries: keeps retries inside the request's deadline,
 * counts attempts in flight for the bulkhead view, lets a cancelled request stop the attempt
 * running, and turns the guard's own rejections into {@link ExpertCallException}s the fallback
 * chain understands.
 */
final class GuardedCall<T> {

    /** Least time worth starting another attempt with. */
    static final long MIN_ATTEMPT_MS = 10;

    private final ExpertGuard guard;
    private final ExpertConfig expert;
    private final Deadline deadline;
    private final LongSupplier clock;
    private final ResilienceMetrics metrics;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Runnable stopCurrent = () -> { };
    private int retriesPlanned;

    GuardedCall(ExpertGuard guard, Deadline deadline, LongSupplier clock, ResilienceMetrics metrics) {
        this.guard = guard;
        this.expert = guard.expert();
        this.deadline = deadline;
        this.clock = clock;
        this.metrics = metrics;
    }

    Uni<T> run(Supplier<Uni<T>> attempt, TypeLiteral<Uni<T>> type) {
        Duration budget = deadline.remaining();
        Uni<T> guarded = Uni.createFrom().deferred(() -> guard.guard(() -> attempt(attempt), type))
                .onFailure().transform(this::toCallFailure)
                .onCancellation().invoke(this::cancel);
        if (budget.isZero()) {
            return guarded;
        }
        // a backstop: attempt timeouts and retry planning already keep within the deadline
        return guarded.ifNoItem().after(budget).failWith(() -> timeout("the request deadline passed while " + expert.id() + " was retried"));
    }

    private Uni<T> attempt(Supplier<Uni<T>> call) {
        return Uni.createFrom().emitter(em -> {
            if (cancelled.get()) {
                em.fail(new AttemptAbandoned(timeout("the call was cancelled")));
                return;
            }
            if (deadline.remaining().toMillis() < 1) {
                em.fail(new AttemptAbandoned(timeout("the request deadline passed before " + expert.id() + " could be tried")));
                return;
            }
            guard.attemptStarted();
            long started = clock.getAsLong();
            AtomicBoolean ended = new AtomicBoolean();
            Runnable end = () -> {
                if (ended.compareAndSet(false, true)) {
                    guard.attemptEnded();
                }
            };
            Cancellable running = call.get().subscribe().with(item -> {
                end.run();
                metrics.attempt(expert.id(), "success", Duration.ofNanos(clock.getAsLong() - started));
                if (cancelled.get() && item instanceof ExpertStream stream) {
                    stream.cancel();
                }
                em.complete(item);
            }, failure -> {
                end.run();
                ExpertCallException e = failure instanceof ExpertCallException x ? x : new ExpertCallException(expert.id(), 0,
                        ExpertCallException.CONNECT, "expert " + expert.id() + " call failed: " + failure, Optional.empty());
                metrics.attempt(expert.id(), e.code(), Duration.ofNanos(clock.getAsLong() - started));
                em.fail(retryFits(e) ? e : new RetryRefused(e));
            });
            stopCurrent = () -> {
                running.cancel();
                end.run();
                em.fail(new AttemptAbandoned(timeout("the call was cancelled")));
            };
        });
    }

    /**
     * Whether a retry of this failure could still finish in time. Only asked on retryable failures
     * SmallRye would retry; refusing turns them final so the request can fall back instead of
     * sleeping past its deadline (a long {@code Retry-After}, say).
     */
    private synchronized boolean retryFits(ExpertCallException e) {
        if (!e.isRetryable() || retriesPlanned >= expert.faultTolerance().retries()) {
            return true;
        }
        long delay = RetryBackoff.plannedDelayMs(expert.faultTolerance(), retriesPlanned, e) + expert.faultTolerance().jitterMs();
        if (deadline.remaining().toMillis() < delay + MIN_ATTEMPT_MS) {
            return false;
        }
        retriesPlanned++;
        return true;
    }

    private Throwable toCallFailure(Throwable t) {
        if (t instanceof RetryRefused r) {
            return r.failure();
        }
        if (t instanceof AttemptAbandoned a) {
            return a.failure();
        }
        if (t instanceof CircuitBreakerOpenException) {
            long left = guard.openMillisLeft();
            return new ExpertCallException(expert.id(), 503, ExpertGuard.CIRCUIT_OPEN, "circuit open for expert " + expert.id(),
                    Optional.of((int) Math.max(1, (left + 999) / 1000)));
        }
        if (t instanceof BulkheadException) {
            return new ExpertCallException(expert.id(), 503, ExpertGuard.CONCURRENCY_LIMIT,
                    "expert " + expert.id() + " is at its concurrency limit (" + expert.maxConcurrency() + ")", Optional.of(1));
        }
        return t;
    }

    private void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            stopCurrent.run();
        }
    }

    private ExpertCallException timeout(String why) {
        return new ExpertCallException(expert.id(), 0, ExpertCallException.TIMEOUT, why, Optional.empty());
    }
}
