package dev.expertrouter.api.chat;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.experts.Deadline;
import dev.expertrouter.experts.ExpertCallException;
import dev.expertrouter.outcomes.OutcomeRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Cross-expert fallback for one request: call the best-ranked expert; when its call fails in a way
 * another expert could fix (no answer, an error status, a timeout — not the expert's verdict on the
 * request itself), move down the ranking while the request's deadline lasts. Each expert's own
 * retries and circuit breaker sit below this, in its invoker. Results are delivered on
 * {@code emitOn} (the request's event loop). Framework-free: tested with scripted attempts.
 *
 * @param <T> what one attempt yields: a whole answer or the start of a stream
 */
public final class FallbackChain<T> {

    private static final Logger LOG = Logger.getLogger(FallbackChain.class);

    /** One attempt at one expert. */
    @FunctionalInterface
    public interface Attempt<T> {
        Uni<T> call(ExpertConfig expert);
    }

    /**
     * Whether an expert's answer may go to the client. One that may not counts as a failure of its
     * expert (code {@value #REJECTED}) and the chain moves on, unless no expert is left or the
     * deadline has passed: then the answer is delivered as it is, better than none. Runs on
     * {@code emitOn}.
     */
    @FunctionalInterface
    public interface Acceptance<T> {
        boolean accept(ExpertConfig expert, T answer);
    }

    /** The fallback code of an answer its {@link Acceptance} refused. */
    public static final String REJECTED = "verifier_rejected";

    /** Where the chain reports; every method runs on {@code emitOn}. */
    public interface Listener<T> {
        /** An attempt at {@code expert} starts (the first, or after a fallback). */
        void onAttempt(ExpertConfig expert);

        /** {@code expert} answered. */
        void onAnswer(ExpertConfig expert, T answer);

        /** The chain gave up; {@code failure} is the last expert's. */
        void onExhausted(ExpertConfig lastExpert, Throwable failure);
    }

    private final List<ExpertConfig> ranked;
    private final Deadline deadline;
    private final Executor emitOn;
    private final Attempt<T> attempt;
    private final Listener<T> listener;
    private final Acceptance<T> acceptance;
    private final List<OutcomeRecord.Fallback> fallbacks = new ArrayList<>();
    private volatile Cancellable pending = () -> { };
    private volatile boolean cancelled;

    /** A chain delivering every answer it gets. */
    public FallbackChain(List<ExpertConfig> ranked, Deadline deadline, Executor emitOn, Attempt<T> attempt, Listener<T> listener) {
        this(ranked, deadline, emitOn, attempt, (expert, answer) -> true, listener);
    }

    /** @param acceptance asked about each answer while another expert could still be tried */
    public FallbackChain(List<ExpertConfig> ranked, Deadline deadline, Executor emitOn, Attempt<T> attempt,
            Acceptance<T> acceptance, Listener<T> listener) {
        if (ranked == null || ranked.isEmpty()) {
            throw new IllegalArgumentException("a fallback chain needs at least one expert");
        }
        this.ranked = List.copyOf(ranked);
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.emitOn = Objects.requireNonNull(emitOn, "emitOn");
        this.attempt = Objects.requireNonNull(attempt, "attempt");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.acceptance = Objects.requireNonNull(acceptance, "acceptance");
    }

    public void start() {
        attempt(0);
    }

    /** Stops the chain: the attempt in flight is cancelled and no further expert is tried. */
    public void cancel() {
        cancelled = true;
        pending.cancel();
    }

    /** The experts given up on so far, each with why. */
    public List<OutcomeRecord.Fallback> fallbacks() {
        return List.copyOf(fallbacks);
    }

    private void attempt(int index) {
        ExpertConfig expert = ranked.get(index);
        listener.onAttempt(expert);
        pending = attempt.call(expert)
                .emitOn(emitOn)
                .subscribe().with(answer -> {
                    if (mayEscalate(index) && !acceptance.accept(expert, answer)) {
                        fallbacks.add(new OutcomeRecord.Fallback(expert.id(), REJECTED));
                        LOG.debugf("answer of %s rejected, escalating to %s", expert.id(), ranked.get(index + 1).id());
                        attempt(index + 1);
                    } else {
                        listener.onAnswer(expert, answer);
                    }
                }, failure -> {
                    if (shouldFallBack(failure, index)) {
                        attempt(index + 1);
                    } else {
                        listener.onExhausted(expert, failure);
                    }
                });
        if (cancelled) {
            pending.cancel();
        }
    }

    private boolean mayEscalate(int index) {
        return !cancelled && index + 1 < ranked.size() && !deadline.isExpired();
    }

    /** Next-ranked expert, unless the expert judged the request itself bad or time ran out. */
    private boolean shouldFallBack(Throwable failure, int index) {
        if (cancelled || !(failure instanceof ExpertCallException e)) {
            return false;
        }
        if (e.isClientError() || index + 1 >= ranked.size() || deadline.isExpired()) {
            return false;
        }
        fallbacks.add(new OutcomeRecord.Fallback(e.expert(), e.code() + (e.status() > 0 ? "_" + e.status() : "")));
        LOG.debugf("expert %s failed (%s), falling back to %s", e.expert(), e.getMessage(), ranked.get(index + 1).id());
        return true;
    }
}
