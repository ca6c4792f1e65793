package dev.expertrouter.tenancy;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.config.TenancySettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** CDI wiring of the tenant limiter: the Quarkus Redis client, the settings and the gateway's clock. */
@ApplicationScoped
public class TenancyBeans {

    @Produces
    @ApplicationScoped
    TenantLimiter tenantLimiter(ReactiveRedisDataSource redis, RouterSettings settings, MeterRegistry registry,
            GatewayClock clock) {
        TenancySettings t = settings.tenancy();
        return new TenantLimiter(new RedisLimitStore(redis::execute), clock.asClock(), t.expectedReplicas(), t.redisTimeout(),
                t.redisRetryInterval(), new TenancyMetrics(registry));
    }
}
