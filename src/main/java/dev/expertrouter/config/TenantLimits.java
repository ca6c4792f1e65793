package dev.expertrouter.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one tenant may spend and how fast: enforced by {@code tenancy.TenantLimiter}, shared by all
 * replicas through Redis (requests, tokens, USD) or per replica (concurrent requests).
 *
 * @param rateLimit             requests and tokens per minute, when limited
 * @param budget                USD per UTC day and month, when limited
 * @param maxConcurrentRequests requests (streams included) in flight at once on one replica, when capped
 * @param onRedisDown           what the limits do while Redis cannot be reached
 */
public record TenantLimits(
        Optional<RateLimit> rateLimit,
        Optional<Budget> budget,
        OptionalInt maxConcurrentRequests,
        RedisDown onRedisDown) {

    /** No limit at all: the tenant is only authenticated. */
    public static final TenantLimits NONE = new TenantLimits(Optional.empty(), Optional.empty(), OptionalInt.empty(), RedisDown.FAIL_OPEN);

    /** Per-minute limits; 0 leaves that dimension unlimited (at least one of them is set). */
    public record RateLimit(long requestsPerMinute, long tokensPerMinute) {
    }

    /** USD limits; 0 leaves that period unlimited (at least one of them is set). */
    public record Budget(double usdPerDay, double usdPerMonth) {
    }

    /** While Redis is away: admit on a local limiter sized limit / expected replicas, or refuse. */
    public enum RedisDown {
        FAIL_OPEN, FAIL_CLOSED
    }

    /** Whether requests, tokens or spend are counted in the shared store. */
    public boolean isShared() {
        return rateLimit.isPresent() || budget.isPresent();
    }
}
