package dev.expertrouter.metrics;

import dev.expertrouter.MetricNames;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.outcomes.RoutingScorecard;
import dev.expertrouter.outcomes.TrainingMix;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing scorecard of this replica, fed by {@link GatewayMetrics} with every outcome and
 * feedback, and published as gauges (the JSON view is {@code GET /admin/scorecard}). Gauges are
 * registered the first time a (domain, expert) pair or a domain is seen, so they stay bounded by
 * the catalogue; a gauge reads NaN until its ratio has data.
 */
@ApplicationScoped
public class ScorecardMetrics {

    private final MeterRegistry registry;
    private final RouterSettings settings;
    private final RoutingScorecard scorecard;
    private final Set<String> domains = ConcurrentHashMap.newKeySet();

    public ScorecardMetrics(MeterRegistry registry, RouterSettings settings) {
        this.registry = registry;
        this.settings = settings;
        this.scorecard = new RoutingScorecard(this::registerCell);
    }

    public RoutingScorecard scorecard() {
        return scorecard;
    }

    /** The serving router model changed: its training mix becomes the drift baseline. */
    void serving(String version) {
        TrainingMix mix = TrainingMix.read(Path.of(settings.modelsDir()), version).orElse(TrainingMix.NONE);
        scorecard.training(mix);
        mix.counts().keySet().forEach(this::registerDomain);
    }

    void seen(String domain) {
        if (!domains.contains(domain)) {
            registerDomain(domain);
        }
    }

    private void registerDomain(String domain) {
        if (domain == null || !domains.add(domain)) {
            return;
        }
        Gauge.builder(MetricNames.SCORECARD_TRAFFIC_SHARE, scorecard, s -> s.trafficShare(domain))
                .description("Share of classified requests routed as this domain since start-up")
                .tag("domain", domain).register(registry);
        Gauge.builder(MetricNames.SCORECARD_TRAINING_SHARE, scorecard, s -> s.training().share(domain))
                .description("Share of the serving router model's training examples in this domain")
                .tag("domain", domain).register(registry);
    }

    private void registerCell(String domain, String expert) {
        Gauge.builder(MetricNames.SCORECARD_COST_PER_GOOD_ANSWER, scorecard,
                        s -> s.costPerGoodAnswerUsd(domain, expert).orElse(Double.NaN))
                .description("USD of rated answers per answer rated >= 0.5 (NaN before one is)")
                .tag("domain", domain).tag("expert", expert).register(registry);
        Gauge.builder(MetricNames.SCORECARD_CORRECTION_SHARE, scorecard,
                        s -> s.correctionShare(domain, expert).orElse(Double.NaN))
                .description("Share of feedback that corrected the routed domain (NaN before any)")
                .tag("domain", domain).tag("expert", expert).register(registry);
    }
}
