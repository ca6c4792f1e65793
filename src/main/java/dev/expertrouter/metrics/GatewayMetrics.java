package dev.expertrouter.metrics;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeListener;
import dev.expertrouter.outcomes.OutcomeRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/** Records request-level metrics from outcomes; low-cardinality tags only. */
@ApplicationScoped
public class GatewayMetrics implements OutcomeListener {

    /** Buckets of 0..1 quantities (confidence, feedback score), for histogram_quantile and heatmaps. */
    private static final double[] UNIT_BUCKETS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0};

    private final MeterRegistry registry;
    private final ScorecardMetrics scorecard;

    public GatewayMetrics(MeterRegistry registry, ScorecardMetrics scorecard) {
        this.registry = registry;
        this.scorecard = scorecard;
    }

    @Override
    public void onOutcome(OutcomeRecord o) {
        outcome(o);
    }

    public void outcome(OutcomeRecord o) {
        String outcome = o.succeeded() ? "success" : (o.errorCode() == null ? "error" : o.errorCode());
        String expert = o.expert() == null ? "none" : o.expert();
        Timer.builder(MetricNames.REQUEST_DURATION)
                .description("Client-facing duration of routed chat requests")
                .tag("policy", o.policy()).tag("expert", expert).tag("domain", o.domain()).tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofMillis(o.latencyMs()));
        Counter.builder(MetricNames.ROUTED_REQUESTS).description("Routed chat requests")
                .tag("policy", o.policy()).tag("expert", expert).tag("domain", o.domain()).tag("outcome", outcome)
                .register(registry).increment();
        for (OutcomeRecord.Fallback f : o.fallbacks()) {
            Counter.builder(MetricNames.FALLBACKS).description("Fallbacks away from an expert that failed")
                    .tag("expert", f.expert()).tag("reason", f.code()).register(registry).increment();
        }
        if (o.succeeded()) {
            DistributionSummary.builder(MetricNames.TOKEN_USAGE).baseUnit("tokens").description("Tokens used")
                    .tag("expert", expert).tag("token_type", "input").register(registry).record(o.promptTokens());
            DistributionSummary.builder(MetricNames.TOKEN_USAGE).baseUnit("tokens").description("Tokens used")
                    .tag("expert", expert).tag("token_type", "output").register(registry).record(o.completionTokens());
            Counter.builder(MetricNames.COST_USD).description("Estimated spend in USD")
                    .tag("expert", expert).tag("policy", o.policy()).register(registry).increment(o.costUsd());
            Counter.builder(MetricNames.SAVINGS_USD).description("Saving against the policy's reference expert in USD")
                    .tag("expert", expert).tag("policy", o.policy()).register(registry).increment(o.savedUsd());
        }
        DistributionSummary.builder(MetricNames.CONFIDENCE).description("Router confidence in the chosen domain")
                .tag("domain", o.domain()).serviceLevelObjectives(UNIT_BUCKETS).register(registry)
                .record(o.confidence());
        scorecard.seen(o.domain());
        scorecard.scorecard().outcome(o);
    }

    /** One rating of an answered request; {@code correction} is the rater's domain when it names one. */
    /** One accepted rating: its score by expert and domain, and the scorecard's counts. */
    public void feedback(Feedback f, double costUsd) {
        DistributionSummary.builder(MetricNames.FEEDBACK_SCORE).description("Feedback scores, 0..1")
                .tag("expert", f.expert()).tag("domain", f.correctedDomain().orElse(f.routedDomain()))
                .serviceLevelObjectives(UNIT_BUCKETS).register(registry).record(f.score());
        scorecard.scorecard().feedback(f.expert(), f.routedDomain(), f.correctedDomain(), f.score(), costUsd);
    }

    public void timeToFirstToken(String expert, Duration ttft) {
        Timer.builder(MetricNames.TIME_TO_FIRST_TOKEN).description("Time to the first streamed chunk")
                .tag("expert", expert).publishPercentileHistogram().register(registry).record(ttft);
    }
}
