package dev.expertrouter.config;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** A tenant's limits in {@code tenants.yaml}: {@code rate-limit}, {@code budget}, {@code max-concurrent-requests}, {@code on-redis-down}. */
final class TenantLimitsFile {

    static final Set<String> KEYS = Set.of("rate-limit", "budget", "max-concurrent-requests", "on-redis-down");

    private TenantLimitsFile() {
    }

    static TenantLimits limits(ConfigNode t) {
        Optional<TenantLimits.RateLimit> rateLimit = t.optionalObject("rate-limit").map(r -> {
            r.onlyKeys(Set.of("requests-per-minute", "tokens-per-minute"));
            TenantLimits.RateLimit limit = new TenantLimits.RateLimit(
                    r.longValue("requests-per-minute", 0, 0, 100_000_000),
                    r.longValue("tokens-per-minute", 0, 0, 1_000_000_000_000L));
            if (limit.requestsPerMinute() == 0 && limit.tokensPerMinute() == 0) {
                throw t.problem("rate-limit", "give requests-per-minute, tokens-per-minute or both (above 0); omit rate-limit for none");
            }
            return limit;
        });
        Optional<TenantLimits.Budget> budget = t.optionalObject("budget").map(b -> {
            b.onlyKeys(Set.of("usd-per-day", "usd-per-month"));
            TenantLimits.Budget limit = new TenantLimits.Budget(b.number("usd-per-day", 0, 0, 1e9), b.number("usd-per-month", 0, 0, 1e9));
            if (limit.usdPerDay() == 0 && limit.usdPerMonth() == 0) {
                throw t.problem("budget", "give usd-per-day, usd-per-month or both (above 0); omit budget for none");
            }
            return limit;
        });
        OptionalInt concurrent = t.has("max-concurrent-requests")
                ? OptionalInt.of(t.integer("max-concurrent-requests", 0, 1, 1_000_000)) : OptionalInt.empty();
        TenantLimits.RedisDown onRedisDown = switch (t.optionalString("on-redis-down").orElse("fail-open")) {
            case "fail-open" -> TenantLimits.RedisDown.FAIL_OPEN;
            case "fail-closed" -> TenantLimits.RedisDown.FAIL_CLOSED;
            default -> throw t.problem("on-redis-down", "expected fail-open or fail-closed");
        };
        return new TenantLimits(rateLimit, budget, concurrent, onRedisDown);
    }
}
