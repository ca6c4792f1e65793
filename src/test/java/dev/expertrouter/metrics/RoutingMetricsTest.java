package dev.expertrouter.metrics;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.MetricNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingStage;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RoutingMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScorecardMetrics scorecard = new ScorecardMetrics(registry, settings("router-models"));
    private final RoutingMetrics metrics = new RoutingMetrics(registry, scorecard, GatewayClock.SYSTEM);

    @Test
    void everyStageHasItsTimerFromTheStartWithBucketsBelowAMillisecond() {
        for (RoutingStage stage : RoutingStage.values()) {
            assertThat(registry.find(MetricNames.DECISION_DURATION).tag("stage", stage.tag()).timer()).isNotNull();
        }
        metrics.record(RoutingStage.EMBED, 3_500_000);
        Timer embed = registry.find(MetricNames.DECISION_DURATION).tag("stage", "embed").timer();
        assertThat(embed.count()).isEqualTo(1);
        assertThat(embed.totalTime(TimeUnit.MICROSECONDS)).isEqualTo(3500);
        // stages of tens of microseconds must land in buckets of their own, not all in "below 1 ms"
        Matcher le = Pattern.compile("router_decision_duration_seconds_bucket\\{.*stage=\"rank\".*le=\"([0-9.E-]+)\"")
                .matcher(registry.scrape());
        int subMillisecond = 0;
        while (le.find()) {
            if (Double.parseDouble(le.group(1)) < 0.001) {
                subMillisecond++;
            }
        }
        assertThat(subMillisecond).as("buckets below 1 ms").isGreaterThanOrEqualTo(5);
    }

    @Test
    void escalationsAreCountedByPolicyAndAReasonOfTwoValues() {
        Classification unsure = new Classification("math", 0.41, Map.of("math", 0.41, "science", 0.39, "general", 0.20), "v4", null);
        Classification none = Classification.unknown();
        RoutingDecision escalated = new RoutingDecision("balanced", List.of(), Optional.empty(),
                Optional.of("confidence 0.410 below 0.500: strongest"));
        RoutingDecision calm = new RoutingDecision("balanced", List.of(), Optional.empty(), Optional.empty());
        metrics.decided(escalated, unsure);
        metrics.decided(escalated, none);
        metrics.decided(escalated, none);
        metrics.decided(calm, unsure);
        assertThat(registry.find(MetricNames.ESCALATIONS).tags("policy", "balanced", "reason", "low_confidence").counter().count()).isEqualTo(1);
        assertThat(registry.find(MetricNames.ESCALATIONS).tags("policy", "balanced", "reason", "no_verdict").counter().count()).isEqualTo(2);
        assertThat(registry.find(MetricNames.ESCALATIONS).counters()).hasSize(2);
    }

    @Test
    void theServingModelIsAnInfoGaugeAndItsTrainingMixTheDriftBaseline() {
        metrics.serving("v4");
        assertThat(registry.find(MetricNames.MODEL_INFO).tag("version", "v4").gauge().value()).isEqualTo(1.0);
        assertThat(scorecard.scorecard().training().total()).isEqualTo(1883);
        assertThat(registry.find(MetricNames.SCORECARD_TRAINING_SHARE).tag("domain", "code").gauge().value())
                .isEqualTo(121 / 1883.0);
        assertThat(registry.find(MetricNames.SCORECARD_TRAINING_SHARE).gauges()).hasSize(8);
    }

    @Test
    void afterAPromotionOnlyTheNewVersionReadsOne() {
        metrics.serving("v4");
        metrics.serving("v5");
        assertThat(registry.find(MetricNames.MODEL_INFO).tag("version", "v4").gauge().value()).isZero();
        assertThat(registry.find(MetricNames.MODEL_INFO).tag("version", "v5").gauge().value()).isEqualTo(1.0);
    }

    /** Settings with only the models directory: any other setting read here is a test bug. */
    static RouterSettings settings(String modelsDir) {
        return (RouterSettings) java.lang.reflect.Proxy.newProxyInstance(RouterSettings.class.getClassLoader(),
                new Class<?>[] {RouterSettings.class}, (proxy, method, args) -> {
                    if (method.getName().equals("modelsDir")) {
                        return modelsDir;
                    }
                    throw new UnsupportedOperationException("RoutingMetricsTest does not set router." + method.getName());
                });
    }
}
