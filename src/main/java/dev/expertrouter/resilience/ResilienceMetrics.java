package dev.expertrouter.resilience;

import dev.expertrouter.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Counts what the guards do to calls: attempts, retries, rejections and circuit transitions. */
final class ResilienceMetrics {

    private static final Logger LOG = Logger.getLogger(ResilienceMetrics.class);

    private final MeterRegistry registry;

    ResilienceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void attempt(String expert, String outcome, Duration duration) {
        Timer.builder(MetricNames.CLIENT_OPERATION_DURATION).description("Duration of each attempt against an expert")
                .tag("expert", expert).tag("outcome", outcome).register(registry).record(duration);
    }

    void retry(String expert) {
        Counter.builder(MetricNames.EXPERT_RETRIES).description("Retries of a failed attempt against the same expert")
                .tag("expert", expert).register(registry).increment();
    }

    void rejected(String expert, String reason) {
        Counter.builder(MetricNames.EXPERT_REJECTIONS).description("Calls refused by an expert's guard before reaching it")
                .tag("expert", expert).tag("reason", reason).register(registry).increment();
    }

    void circuitChanged(String expert, CircuitBreakerState state) {
        LOG.infof("circuit of expert %s is now %s", expert, state);
        Counter.builder(MetricNames.EXPERT_CIRCUIT_TRANSITIONS).description("Circuit breaker transitions, by state entered")
                .tag("expert", expert).tag("state", state.name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
    }
}
