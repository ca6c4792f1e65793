package dev.expertrouter.metrics;

import dev.expertrouter.MetricNames;
import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeListener;
import dev.expertrouter.outcomes.OutcomeRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records request-level metrics from outcomes; low-cardinality tags only. The meters of one tag
 * combination are looked up once and kept: building and registering them per request (tag
 * sorting, id hashing, the registry's map) showed in the request path's profile.
 */
@ApplicationScoped
public class GatewayMetrics implements OutcomeListener {

    /** Buckets of 0..1 quantities (confidence, feedback score), for histogram_quantile and heatmaps. */
    private static final double[] UNIT_BUCKETS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0};

    /** The meters of one (policy, expert, domain, outcome). */
    private record OutcomeMeters(Timer duration, Counter requests, DistributionSummary inputTokens,
            DistributionSummary outputTokens, Counter cost, Counter savings, DistributionSummary confidence) {
    }

    private record Key(String policy, String expert, String domain, String outcome) {
    }

    private final MeterRegistry registry;
    private final ScorecardMetrics scorecard;
    private final Map<Key, OutcomeMeters> meters = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstToken = new ConcurrentHashMap<>();

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
        OutcomeMeters m = meters.computeIfAbsent(new Key(o.policy(), expert, o.domain(), outcome), this::register);
        m.duration().record(o.latencyMs(), TimeUnit.MILLISECONDS);
        m.requests().increment();
        for (OutcomeRecord.Fallback f : o.fallbacks()) {
            Counter.builder(MetricNames.FALLBACKS).description("Fallbacks away from an expert that failed")
                    .tag("expert", f.expert()).tag("reason", f.code()).register(registry).increment();
        }
        if (o.succeeded()) {
            m.inputTokens().record(o.promptTokens());
            m.outputTokens().record(o.completionTokens());
            m.cost().increment(o.costUsd());
            m.savings().increment(o.savedUsd());
        }
        m.confidence().record(o.confidence());
        scorecard.seen(o.domain());
        scorecard.scorecard().outcome(o);
    }

    /** One accepted rating: its score by expert and domain, and the scorecard's counts. */
    public void feedback(Feedback f, double costUsd) {
        DistributionSummary.builder(MetricNames.FEEDBACK_SCORE).description("Feedback scores, 0..1")
                .tag("expert", f.expert()).tag("domain", f.correctedDomain().orElse(f.routedDomain()))
                .serviceLevelObjectives(UNIT_BUCKETS).register(registry).record(f.score());
        scorecard.scorecard().feedback(f.expert(), f.routedDomain(), f.correctedDomain(), f.score(), costUsd);
    }

    private OutcomeMeters register(Key k) {
        return new OutcomeMeters(
                Timer.builder(MetricNames.REQUEST_DURATION)
                        .description("Client-facing duration of routed chat requests")
                        .tag("policy", k.policy()).tag("expert", k.expert()).tag("domain", k.domain())
                        .tag("outcome", k.outcome()).publishPercentileHistogram().register(registry),
                Counter.builder(MetricNames.ROUTED_REQUESTS).description("Routed chat requests")
                        .tag("policy", k.policy()).tag("expert", k.expert()).tag("domain", k.domain())
                        .tag("outcome", k.outcome()).register(registry),
                DistributionSummary.builder(MetricNames.TOKEN_USAGE).baseUnit("tokens").description("Tokens used")
                        .tag("expert", k.expert()).tag("token_type", "input").register(registry),
                DistributionSummary.builder(MetricNames.TOKEN_USAGE).baseUnit("tokens").description("Tokens used")
                        .tag("expert", k.expert()).tag("token_type", "output").register(registry),
                Counter.builder(MetricNames.COST_USD).description("Estimated spend in USD")
                        .tag("expert", k.expert()).tag("policy", k.policy()).register(registry),
                Counter.builder(MetricNames.SAVINGS_USD).description("Saving against the policy's reference expert in USD")
                        .tag("expert", k.expert()).tag("policy", k.policy()).register(registry),
                DistributionSummary.builder(MetricNames.CONFIDENCE).description("Router confidence in the chosen domain")
                        .tag("domain", k.domain()).serviceLevelObjectives(UNIT_BUCKETS).register(registry));
    }

    public void timeToFirstToken(String expert, Duration ttft) {
        firstToken.computeIfAbsent(expert, e -> Timer.builder(MetricNames.TIME_TO_FIRST_TOKEN)
                .description("Time to the first streamed chunk").tag("expert", e).publishPercentileHistogram()
                .register(registry)).record(ttft);
    }
}
