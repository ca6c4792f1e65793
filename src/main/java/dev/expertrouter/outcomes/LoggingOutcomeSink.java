package dev.expertrouter.outcomes;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The first sink: one log line per outcome on the {@code dev.expertrouter.outcomes} category, and
 * the most recent outcomes kept in memory (bounded) so feedback and tests can find them. Replaced
 * by the Redis stream sink when that lands.
 */
@DefaultBean
@ApplicationScoped
public class LoggingOutcomeSink implements OutcomeSink {

    private static final Logger LOG = Logger.getLogger("dev.expertrouter.outcomes");
    static final int RECENT_LIMIT = 10_000;

    private final Deque<OutcomeRecord> recent = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    @Override
    public void record(OutcomeRecord o) {
        recent.addFirst(o);
        if (size.incrementAndGet() > RECENT_LIMIT && recent.pollLast() != null) {
            size.decrementAndGet();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("outcome request_id=%s tenant=%s policy=%s router=%s domain=%s confidence=%.3f expert=%s fallbacks=%d status=%d error=%s latency_ms=%d tokens=%d/%d cost_usd=%.6f",
                    o.requestId(), o.tenant(), o.policy(), o.routerVersion(), o.domain(), o.confidence(), o.expert(),
                    o.fallbacks().size(), o.status(), o.errorCode(), o.latencyMs(), o.promptTokens(), o.completionTokens(), o.costUsd());
        }
    }

    /** The outcome of a request, if it is still among the recent ones. */
    public java.util.Optional<OutcomeRecord> find(String requestId) {
        return recent.stream().filter(o -> o.requestId().equals(requestId)).findFirst();
    }
}
