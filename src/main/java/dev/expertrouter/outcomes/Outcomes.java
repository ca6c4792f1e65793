package dev.expertrouter.outcomes;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
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

    public Outcomes(OutcomeSink sink, @All List<OutcomeListener> listeners) {
        this.sink = sink;
        this.listeners = List.copyOf(listeners);
    }

    public void record(OutcomeRecord outcome) {
        sink.record(outcome);
        for (OutcomeListener listener : listeners) {
            try {
                listener.onOutcome(outcome);
            } catch (RuntimeException e) {
                LOG.errorf(e, "outcome listener %s failed on request %s", listener.getClass().getSimpleName(), outcome.requestId());
            }
        }
    }
}
