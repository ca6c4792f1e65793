package dev.expertrouter.outcomes;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The request path's one exit for outcomes: the record goes to the {@link OutcomeSink} (where it
 * is kept), then to every {@link OutcomeListener} (what learns from it). A listener that throws is
 * logged and skipped, so it can neither lose the record nor fail the request.
 */
@ApplicationScoped
public class Outcomes {

    private static final Logger LOG = Logger.getLogger(Outcomes.class);

    private final OutcomeSink sink;
    private final List<OutcomeListener> listeners;
    private final Map<String, OutcomeRecord> awaiting = new ConcurrentHashMap<>();

    public Outcomes(OutcomeSink sink, @All List<OutcomeListener> listeners) {
        this.sink = sink;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * An answered request whose record waits for work done after the answer (a forced request's
     * classification for the record): until {@link #record} takes it, feedback can still join it.
     * Bounded by that work's own queue, since every awaited outcome is recorded or dropped there.
     */
    public void awaiting(OutcomeRecord outcome) {
        awaiting.put(outcome.requestId(), outcome);
    }

    /** The outcome of a request whose record is awaited, if it is. */
    public Optional<OutcomeRecord> awaiting(String requestId) {
        return Optional.ofNullable(awaiting.get(requestId));
    }

    /**
     * An outcome answered here that may not be in Redis yet: looked up where a record is first (awaited)
     * and only then where it moves to ({@code recorded}, e.g. the sink's recent outcomes). A record moves
     * by being added there before it leaves the awaited ones, so a lookup racing the move still finds it;
     * the other order could miss it between the two looks.
     */
    public Optional<OutcomeStore.OutcomeIndex> answeredHere(String requestId,
            Function<String, Optional<OutcomeStore.OutcomeIndex>> recorded) {
        return awaiting(requestId).map(OutcomeStore.OutcomeIndex::of).or(() -> recorded.apply(requestId));
    }

    public void record(OutcomeRecord outcome) {
        sink.record(outcome);
        // only once the sink has it, so feedback always finds it in one place or the other
        awaiting.remove(outcome.requestId());
        for (OutcomeListener listener : listeners) {
            try {
                listener.onOutcome(outcome);
            } catch (RuntimeException e) {
                LOG.errorf(e, "outcome listener %s failed on request %s", listener.getClass().getSimpleName(), outcome.requestId());
            }
        }
    }
}
