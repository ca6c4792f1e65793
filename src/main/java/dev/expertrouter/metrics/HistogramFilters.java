package dev.expertrouter.metrics;

import dev.expertrouter.MetricNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Histogram buckets for timers registered outside this package whose quantiles the dashboard
 * plots (histogram_quantile needs buckets), set by name so their owners need not change.
 */
@Singleton
public class HistogramFilters {

    static final Set<String> WITH_BUCKETS = Set.of(MetricNames.CLIENT_OPERATION_DURATION);

    @Produces
    @Singleton
    public MeterFilter percentileHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (WITH_BUCKETS.contains(id.getName())) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
                return config;
            }
        };
    }
}
