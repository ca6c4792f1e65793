package dev.expertrouter.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How tenant limits are enforced across replicas ({@code router.tenancy.*}). */
public interface TenancySettings {

    /**
     * Replicas expected to serve together. While Redis is away each replica enforces a tenant's
     * limits locally at limit / this number, so the fleet stays near the configured limit.
     */
    @WithDefault("1")
    int expectedReplicas();

    /**
     * Longest wait for Redis on the request path; past it the tenant's {@code on-redis-down}
     * choice applies to this request.
     */
    @WithDefault("50ms")
    Duration redisTimeout();

    /**
     * After Redis failed, how long limits stay local before Redis is tried again, so an outage
     * does not add the timeout to every request.
     */
    @WithDefault("1s")
    Duration redisRetryInterval();
}
