package dev.expertrouter.routing.serving;

import dev.expertrouter.outcomes.OutcomeListener;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.policy.ExpertStats;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What an answer teaches the policy engine: the answering expert's latency (its own attempt, not
 * the gateway's time before it) and, in a known domain, how long its answers run.
 */
@ApplicationScoped
public class ExpertStatsLearner implements OutcomeListener {

    private final ExpertStats stats;

    public ExpertStatsLearner(ExpertStats stats) {
        this.stats = stats;
    }

    @Override
    public void onOutcome(OutcomeRecord o) {
        if (!o.succeeded() || o.expert() == null) {
            return;
        }
        stats.recordLatency(o.expert(), o.upstreamLatencyMs());
        if (!Classification.UNKNOWN_DOMAIN.equals(o.domain()) && o.completionTokens() > 0) {
            stats.recordOutputTokens(o.expert(), o.domain(), o.completionTokens());
        }
    }
}
