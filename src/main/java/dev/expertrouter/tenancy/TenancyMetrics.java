package dev.expertrouter.tenancy;

import dev.expertrouter.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of tenant limits and spend; tenants are configured, so the tenant tag stays low-cardinality. */
final class TenancyMetrics {

    private final MeterRegistry registry;

    TenancyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void rejected(String tenant, String kind) {
        Counter.builder(MetricNames.TENANT_REJECTIONS).description("Requests refused by a tenant limit")
                .tag("tenant", tenant).tag("kind", kind).register(registry).increment();
    }

    void spent(String tenant, double usd) {
        if (usd > 0) {
            Counter.builder(MetricNames.TENANT_SPEND_USD).description("Spend charged to tenants, USD")
                    .tag("tenant", tenant).register(registry).increment(usd);
        }
    }

    void withoutRedis(String tenant, String mode) {
        Counter.builder(MetricNames.TENANT_LIMITS_WITHOUT_REDIS).description("Limit checks decided without Redis")
                .tag("tenant", tenant).tag("mode", mode).register(registry).increment();
    }
}
