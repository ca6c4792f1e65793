package dev.expertrouter.metrics;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.MetricNames;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingStage;
import dev.expertrouter.routing.StageTimings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The routing decision's own metrics: time per stage, escalations, the serving model's version. */
@ApplicationScoped
public class RoutingMetrics implements StageTimings {

    private volatile String servingVersion = "";

    private final MeterRegistry registry;
    private final ScorecardMetrics scorecard;
    private final GatewayClock clock;
    private final Map<RoutingStage, Timer> stages = new EnumMap<>(RoutingStage.class);

    public RoutingMetrics(MeterRegistry registry, ScorecardMetrics scorecard, GatewayClock clock) {
        this.registry = registry;
        this.scorecard = scorecard;
        this.clock = clock;
        for (RoutingStage stage : RoutingStage.values()) {
            // stages take microseconds to milliseconds: Micrometer's default timer buckets start at 1 ms
            stages.put(stage, Timer.builder(MetricNames.DECISION_DURATION)
                    .description("Time of one stage of the routing decision")
                    .tag("stage", stage.tag())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(20_000))
                    .maximumExpectedValue(Duration.ofSeconds(2))
                    .register(registry));
        }
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public void record(RoutingStage stage, long nanos) {
        stages.get(stage).record(Duration.ofNanos(nanos));
    }

    /** Counts a chat request whose decision applied the policy's escalation rule. */
    public void decided(RoutingDecision decision, Classification classification) {
        if (decision.escalation().isPresent()) {
            Counter.builder(MetricNames.ESCALATIONS).description("Decisions where the escalation rule applied")
                    .tag("policy", decision.policy())
                    .tag("reason", classification.scores().isEmpty() ? "no_verdict" : "low_confidence")
                    .register(registry).increment();
        }
    }

    /**
     * Publishes the serving router version as an info gauge: 1 for the version serving now, 0 for
     * one that served before a promotion or rollback; its training mix feeds the scorecard.
     */
    public void serving(String version) {
        servingVersion = version;
        Gauge.builder(MetricNames.MODEL_INFO, () -> version.equals(servingVersion) ? 1 : 0)
                .description("The serving router model (1 while it serves)")
                .tag("version", version).register(registry);
        scorecard.serving(version);
    }
}
