package dev.expertrouter.metrics;

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

    /** The meters of one (policy, expert, domain, outcome). */
    private record OutcomeMeters(Timer duration, Counter requests, DistributionSummary inputTokens,
            DistributionSummary outputTokens, Counter cost) {
    }

    private record Key(String policy, String expert, String domain, String outcome) {
    }

    private final MeterRegistry registry;
    private final Map<Key, OutcomeMeters> meters = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstToken = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
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
        }
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
                        .tag("expert", k.expert()).tag("policy", k.policy()).register(registry));
    }

    public void timeToFirstToken(String expert, Duration ttft) {
        firstToken.computeIfAbsent(expert, e -> Timer.builder(MetricNames.TIME_TO_FIRST_TOKEN)
                .description("Time to the first streamed chunk").tag("expert", e).publishPercentileHistogram()
                .register(registry)).record(ttft);
    }
}
