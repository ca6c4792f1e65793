package dev.expertrouter.tenancy;

import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.config.TenancySettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** CDI wiring of the tenant limiter: the Quarkus Redis client, the settings and the system clock. */
@ApplicationScoped
public class TenancyBeans {

    @Produces
    @ApplicationScoped
    TenantLimiter tenantLimiter(ReactiveRedisDataSource redis, RouterSettings settings, MeterRegistry registry) {
        TenancySettings t = settings.tenancy();
        return new TenantLimiter(new RedisLimitStore(redis::execute), Clock.systemUTC(), t.expectedReplicas(), t.redisTimeout(),
                t.redisRetryInterval(), new TenancyMetrics(registry));
    }
}
