package dev.expertrouter.tenancy;

import io.smallrye.mutiny.Uni;

/**
 * Counts one tenant's requests, tokens and spend. {@link RedisLimitStore} is shared by every
 * replica; {@link LocalLimitStore} stands in while Redis is away. Limits are passed with each call,
 * so a hot reload applies from the next request. Nothing here blocks a thread.
 */
interface LimitStore {

    /** Per-call limits; 0 means that dimension is not limited. Money in nano-USD. */
    record Limits(long requestsPerMinute, long tokensPerMinute, long usdPerDayNanos, long usdPerMonthNanos) {
    }

    /** Counts one request and its input tokens when every limit allows it. */
    Uni<Counts> admit(LimitKeys keys, Limits limits, long nowMs, long tokens);

    /**
     * Adds a request's estimated cost to the day and month when both stay within budget. Returns
     * {code, day spent, month spent}.
     */
    Uni<long[]> reserve(LimitKeys keys, Limits limits, long costNanos);

    /** Corrects the estimate by what the answer really used (either sign). */
    Uni<Void> settle(LimitKeys keys, long nowMs, long admittedSecond, long tokenDelta, long costDeltaNanos);

    /** Spend of the keys' day and month, nano-USD. */
    Uni<long[]> spend(LimitKeys keys);
}
