package dev.expertrouter.metrics;

import dev.expertrouter.outcomes.OutcomeListener;
import dev.expertrouter.outcomes.OutcomeRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Records request-level metrics from outcomes; low-cardinality tags only. */
@ApplicationScoped
public class GatewayMetrics implements OutcomeListener {

    private final MeterRegistry registry;

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
        }
    }

    public void timeToFirstToken(String expert, Duration ttft) {
        Timer.builder(MetricNames.TIME_TO_FIRST_TOKEN).description("Time to the first streamed chunk")
                .tag("expert", expert).publishPercentileHistogram().register(registry).record(ttft);
    }
}
