package dev.expertrouter.testing;

import dev.expertrouter.outcomes.OutcomeListener;
import dev.expertrouter.outcomes.OutcomeRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every outcome a gateway under test records, whole (the gateway itself keeps only the index
 * feedback needs): a listener bean, so end-to-end tests can read a request's record, embedding
 * and all, as the learning side sees it. Bounded to the newest 10,000.
 */
@ApplicationScoped
public class CapturedOutcomes implements OutcomeListener {

    private final Map<String, OutcomeRecord> byId = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OutcomeRecord> eldest) {
            return size() > 10_000;
        }
    };

    @Override
    public synchronized void onOutcome(OutcomeRecord outcome) {
        byId.put(outcome.requestId(), outcome);
    }

    public synchronized Optional<OutcomeRecord> find(String requestId) {
        return Optional.ofNullable(byId.get(requestId));
    }

    /** The request's record, waiting for it (failing the test past {@code timeout}). */
    public OutcomeRecord await(String requestId, Duration timeout) {
        Deadline.await("the outcome of " + requestId, timeout, () -> find(requestId).isPresent());
        return find(requestId).orElseThrow();
    }
}
