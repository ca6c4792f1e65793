package dev.expertrouter.tenancy;

import dev.expertrouter.api.ApiException;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.config.TenantLimits;
import dev.expertrouter.tenancy.LimitStore.Limits;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Enforces each tenant's limits: admission counts the request and its input tokens (one atomic
 * script in the shared store) and refuses with 429 past a limit; {@link #reserve} charges the
 * chosen expert's estimated cost to the budget; {@link #settle} corrects both by the answer's real
 * usage. While the shared store fails or is slower than the timeout, each tenant's
 * {@code on-redis-down} applies: fail-open on a local store at limit / expected replicas, or 503.
 * Spend that could not reach the shared store is kept and added once it answers again.
 */
public final class TenantLimiter {

    private static final Logger LOG = Logger.getLogger(TenantLimiter.class);

    private final LimitStore shared;
    private final LocalLimitStore local = new LocalLimitStore();
    private final TenantConcurrency concurrency = new TenantConcurrency();
    private final Map<LimitKeys, Long> unsharedSpend = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int expectedReplicas;
    private final Duration timeout;
    private final Duration retryInterval;
    private final TenancyMetrics metrics;
    private final AtomicBoolean sharedDown = new AtomicBoolean();
    private volatile long sharedRetryAtMs;

    TenantLimiter(LimitStore shared, Clock clock, int expectedReplicas, Duration timeout, Duration retryInterval, TenancyMetrics metrics) {
        if (expectedReplicas < 1) {
            throw new IllegalArgumentException("router.tenancy.expected-replicas must be >= 1, was " + expectedReplicas);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("router.tenancy.redis-timeout must be positive, was " + timeout);
        }
        this.shared = shared;
        this.clock = clock;
        this.expectedReplicas = expectedReplicas;
        this.timeout = timeout;
        this.retryInterval = retryInterval;
        this.metrics = metrics;
    }

    /**
     * Admits one request of {@code inputTokens} estimated input tokens, or fails with a 429
     * ({@code rate_limit_exceeded}, {@code tokens_limit_exceeded}, {@code budget_exceeded},
     * {@code concurrency_limit_exceeded}) or, fail-closed without Redis, a 503.
     */
    public Uni<Admission> admit(TenantConfig tenant, long inputTokens) {
        TenantLimits l = tenant.limits();
        Runnable release = () -> { };
        if (l.maxConcurrentRequests().isPresent()) {
            Optional<Runnable> slot = concurrency.tryEnter(tenant.name(), l.maxConcurrentRequests().getAsInt());
            if (slot.isEmpty()) {
                metrics.rejected(tenant.name(), "concurrency");
                return Uni.createFrom().failure(new ApiException(429, "rate_limit_error", "concurrency_limit_exceeded",
                        "Too many concurrent requests: limit " + l.maxConcurrentRequests().getAsInt()
                                + " at a time. Retry when one of your requests has finished.", null, Optional.of(1)));
            }
            release = slot.get();
        }
        Instant now = clock.instant();
        LimitKeys keys = LimitKeys.of(tenant.name(), now);
        Limits limits = limits(l, 1);
        long second = Math.floorDiv(now.toEpochMilli(), 1000);
        if (!l.isShared()) {
            return Uni.createFrom().item(new Admission(tenant.name(), keys, limits, second, 0, false, false, Map.of(), OptionalDouble.empty(), release));
        }
        long tokens = Math.max(0, inputTokens);
        Runnable slot = release;
        Function<Boolean, Function<Counts, Admission>> admitted = isLocal -> c -> admitted(tenant, keys, isLocal ? limits(l, expectedReplicas) : limits,
                c, second, tokens, isLocal, slot);
        Uni<Admission> locally = Uni.createFrom().deferred(() -> withoutShared(tenant, slot)
                .chain(() -> local.admit(keys, limits(l, expectedReplicas), now.toEpochMilli(), tokens)).map(admitted.apply(true)));
        if (!sharedUsable()) {
            return locally;
        }
        return bounded(shared.admit(keys, limits, now.toEpochMilli(), tokens))
                .map(c -> {
                    sharedAnswered();
                    return c;
                })
                .map(admitted.apply(false))
                .onFailure(t -> !(t instanceof ApiException)).recoverWithUni(t -> {
                    sharedFailed(t);
                    return locally;
                });
    }

    private Admission admitted(TenantConfig tenant, LimitKeys keys, Limits limits, Counts c, long second, long tokens,
            boolean isLocal, Runnable release) {
        Map<String, String> headers = RateLimitHeaders.of(limits, c);
        if (c.code() != LimitScripts.OK) {
            release.run();
            throw refusal(tenant, keys, limits, c, tokens, headers);
        }
        OptionalDouble remaining = remaining(limits, c.daySpentNanoUsd(), c.monthSpentNanoUsd());
        return new Admission(tenant.name(), keys, limits, second, limits.tokensPerMinute() > 0 ? tokens : 0, true, isLocal,
                headers, remaining, release);
    }

    private ApiException refusal(TenantConfig tenant, LimitKeys keys, Limits limits, Counts c, long tokens, Map<String, String> headers) {
        long nowMs = clock.millis();
        return switch (c.code()) {
            case LimitScripts.REQUESTS -> {
                metrics.rejected(tenant.name(), "requests");
                yield new ApiException(429, "rate_limit_error", "rate_limit_exceeded", String.format(
                        "Rate limit reached for requests per minute: limit %d, used %d, requested 1. Please try again in %s.",
                        limits.requestsPerMinute(), c.requestsUsed(), RateLimitHeaders.duration(c.requestsRetryMs())),
                        null, Optional.of(RateLimitHeaders.retryAfterSeconds(c.requestsRetryMs())), headers);
            }
            case LimitScripts.TOKENS -> {
                metrics.rejected(tenant.name(), "tokens");
                String message = tokens > limits.tokensPerMinute()
                        ? String.format("Request too large for tokens per minute: limit %d, requested %d.", limits.tokensPerMinute(), tokens)
                        : String.format("Rate limit reached for tokens per minute: limit %d, used %d, requested %d. Please try again in %s.",
                                limits.tokensPerMinute(), c.tokensUsed(), tokens, RateLimitHeaders.duration(c.tokensRetryMs()));
                yield new ApiException(429, "rate_limit_error", "tokens_limit_exceeded", message, null,
                        Optional.of(RateLimitHeaders.retryAfterSeconds(c.tokensRetryMs())), headers);
            }
            default -> budgetExceeded(tenant.name(), keys, c.code(), nowMs, headers);
        };
    }

    private ApiException budgetExceeded(String tenant, LimitKeys keys, int code, long nowMs, Map<String, String> headers) {
        metrics.rejected(tenant, "budget");
        boolean day = code == LimitScripts.BUDGET_DAY;
        Instant reset = day ? keys.dayEnd() : keys.monthEnd();
        return new ApiException(429, "rate_limit_error", "budget_exceeded", "The " + (day ? "daily" : "monthly")
                + " budget of tenant " + tenant + " is spent (or this request's estimated cost would exceed it); it resets at "
                + reset + ".", null, Optional.of(RateLimitHeaders.retryAfterSeconds(reset.toEpochMilli() - nowMs)), headers);
    }

    /**
     * Charges the chosen expert's estimated cost to the tenant's spend (every tenant with a rate
     * limit or budget has its spend counted), or fails with 429
     * {@code budget_exceeded} when it would not fit in today's or this month's budget.
     */
    public Uni<Void> reserve(Admission a, double estimatedCostUsd) {
        if (!a.shared) {
            return Uni.createFrom().voidItem();
        }
        long nanos = nanos(estimatedCostUsd);
        Uni<long[]> locally = Uni.createFrom().deferred(() -> {
            // a local admission's limits are already this replica's share; a shared one's are whole
            Limits share = a.local ? a.limits : scaled(a.limits, expectedReplicas);
            return local.reserve(a.keys, share, nanos).invoke(r -> {
                if (r[0] == LimitScripts.OK) {
                    unsharedSpend.merge(a.keys, nanos, Long::sum);
                }
            });
        });
        Uni<long[]> reserved = a.local || !sharedUsable() ? locally
                : bounded(shared.reserve(a.keys, a.limits, nanos)).invoke(this::sharedAnswered)
                        .onFailure().recoverWithUni(t -> {
                            sharedFailed(t);
                            return locally;
                        });
        return reserved.map(r -> {
            if (r[0] != LimitScripts.OK) {
                throw budgetExceeded(a.tenant, a.keys, (int) r[0], clock.millis(), a.headers());
            }
            a.costReservedNanos = nanos;
            return null;
        });
    }

    /**
     * Ends the request's ticket: corrects tokens and spend by what the answer really used and
     * frees its concurrency slot. Never fails and never waits: what cannot reach Redis now is kept
     * for later.
     */
    public void settle(Admission a, long actualTokens, double actualCostUsd) {
        if (!a.settled.compareAndSet(false, true)) {
            return;
        }
        a.release();
        metrics.spent(a.tenant, actualCostUsd);
        if (!a.shared) {
            return;
        }
        long costDelta = nanos(actualCostUsd) - a.costReservedNanos;
        long tokenDelta = a.limits.tokensPerMinute() > 0 ? Math.max(0, actualTokens) - a.tokensCounted : 0;
        if (costDelta == 0 && tokenDelta == 0) {
            return;
        }
        long nowMs = clock.millis();
        if (a.local) {
            local.settle(a.keys, nowMs, a.admittedSecond, tokenDelta, costDelta).subscribe().with(v -> { }, t -> { });
            if (costDelta != 0) {
                unsharedSpend.merge(a.keys, costDelta, Long::sum);
            }
            return;
        }
        if (!sharedUsable()) {
            keepUnshared(a.keys, costDelta);
            return;
        }
        bounded(shared.settle(a.keys, nowMs, a.admittedSecond, tokenDelta, costDelta)).subscribe().with(
                v -> sharedAnswered(), t -> {
                    sharedFailed(t);
                    keepUnshared(a.keys, costDelta);
                });
    }

    /** A tenant's spend today and this month (UTC), from Redis when it answers, with what is waiting to reach it. */
    public Uni<TenantUsage> usage(TenantConfig tenant) {
        Instant now = clock.instant();
        LimitKeys keys = LimitKeys.of(tenant.name(), now);
        Uni<long[]> spend = sharedUsable()
                ? bounded(shared.spend(keys)).map(s -> new long[] {s[0], s[1], 0}).onFailure().recoverWithUni(t -> {
                    sharedFailed(t);
                    return local.spend(keys).map(s -> new long[] {s[0], s[1], 1});
                })
                : local.spend(keys).map(s -> new long[] {s[0], s[1], 1});
        return spend.map(s -> {
            long waiting = unsharedSpend.entrySet().stream().filter(e -> e.getKey().tenant(tenant.name()))
                    .mapToLong(Map.Entry::getValue).sum();
            return TenantUsage.of(tenant, keys, s[0] / 1e9, s[1] / 1e9, waiting / 1e9, s[2] == 0,
                    concurrency.inFlight(tenant.name()));
        });
    }

    private Uni<Void> withoutShared(TenantConfig tenant, Runnable release) {
        if (tenant.limits().onRedisDown() == TenantLimits.RedisDown.FAIL_CLOSED) {
            metrics.withoutRedis(tenant.name(), "fail_closed");
            metrics.rejected(tenant.name(), "limits_unavailable");
            release.run();
            return Uni.createFrom().failure(new ApiException(503, "rate_limit_error", "limits_unavailable",
                    "Tenant limits cannot be checked right now; retry shortly.", null, Optional.of(1)));
        }
        metrics.withoutRedis(tenant.name(), "fail_open");
        return Uni.createFrom().voidItem();
    }

    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(timeout).fail();
    }

    private boolean sharedUsable() {
        return !sharedDown.get() || clock.millis() >= sharedRetryAtMs;
    }

    private void sharedFailed(Throwable t) {
        sharedRetryAtMs = clock.millis() + retryInterval.toMillis();
        if (sharedDown.compareAndSet(false, true)) {
            LOG.warnf("Redis is unreachable for tenant limits (%s): each tenant's on-redis-down applies (fail-open: a local limit of "
                    + "limit / %d replicas) until it answers again", describe(t), expectedReplicas);
        }
    }

    private void sharedAnswered() {
        if (sharedDown.compareAndSet(true, false)) {
            LOG.info("Redis answers again: tenant limits are shared across replicas again");
        }
        flushUnshared();
    }

    private void keepUnshared(LimitKeys keys, long costDelta) {
        if (costDelta != 0) {
            unsharedSpend.merge(keys, costDelta, Long::sum);
        }
    }

    /** Spend counted while Redis was away, added to the shared counters now that it answers. */
    private void flushUnshared() {
        for (LimitKeys keys : unsharedSpend.keySet()) {
            Long nanos = unsharedSpend.remove(keys);
            if (nanos == null || nanos == 0) {
                continue;
            }
            bounded(shared.settle(keys, clock.millis(), 0, 0, nanos)).subscribe().with(v -> { }, t -> keepUnshared(keys, nanos));
        }
    }

    private static String describe(Throwable t) {
        return t instanceof io.smallrye.mutiny.TimeoutException ? "no answer within the timeout" : t.getClass().getSimpleName();
    }

    static Limits limits(TenantLimits l, int replicas) {
        Limits full = new Limits(
                l.rateLimit().map(TenantLimits.RateLimit::requestsPerMinute).orElse(0L),
                l.rateLimit().map(TenantLimits.RateLimit::tokensPerMinute).orElse(0L),
                l.budget().map(b -> nanos(b.usdPerDay())).orElse(0L),
                l.budget().map(b -> nanos(b.usdPerMonth())).orElse(0L));
        return scaled(full, replicas);
    }

    /** A replica's share of each limit while Redis is away, rounded up so a limit above 0 stays above 0. */
    static Limits scaled(Limits l, int replicas) {
        return new Limits(share(l.requestsPerMinute(), replicas), share(l.tokensPerMinute(), replicas),
                share(l.usdPerDayNanos(), replicas), share(l.usdPerMonthNanos(), replicas));
    }

    private static long share(long limit, int replicas) {
        return limit <= 0 ? 0 : (limit + replicas - 1) / replicas;
    }

    private static OptionalDouble remaining(Limits limits, long daySpent, long monthSpent) {
        double left = Double.POSITIVE_INFINITY;
        if (limits.usdPerDayNanos() > 0) {
            left = Math.min(left, Math.max(0, limits.usdPerDayNanos() - daySpent) / 1e9);
        }
        if (limits.usdPerMonthNanos() > 0) {
            left = Math.min(left, Math.max(0, limits.usdPerMonthNanos() - monthSpent) / 1e9);
        }
        return Double.isInfinite(left) ? OptionalDouble.empty() : OptionalDouble.of(left);
    }

    static long nanos(double usd) {
        return Math.round(usd * 1e9);
    }
}
