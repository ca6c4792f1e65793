package dev.expertrouter.tenancy;

import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The same counting as the Redis scripts, in this process only: what a replica enforces while
 * Redis is away (the caller sizes the limits at limit / expected replicas). Small and
 * synchronised; it holds one window per tenant and one counter per tenant and period.
 */
final class LocalLimitStore implements LimitStore {

    private static final long SPAN_SECONDS = 60;

    private final Map<String, TreeMap<Long, Long>> windows = new HashMap<>();
    private final Map<String, Long> spend = new HashMap<>();

    @Override
    public synchronized Uni<Counts> admit(LimitKeys keys, Limits limits, long nowMs, long tokens) {
        long sec = Math.floorDiv(nowMs, 1000);
        long[] r = window(keys.requests(), limits.requestsPerMinute(), 1, nowMs);
        long[] t = window(keys.tokens(), limits.tokensPerMinute(), tokens, nowMs);
        long day = spend.getOrDefault(keys.day(), 0L);
        long month = spend.getOrDefault(keys.month(), 0L);
        int code = LimitScripts.OK;
        if (r[2] > 0) {
            code = LimitScripts.REQUESTS;
        } else if (t[2] > 0) {
            code = LimitScripts.TOKENS;
        } else if (limits.usdPerDayNanos() > 0 && day >= limits.usdPerDayNanos()) {
            code = LimitScripts.BUDGET_DAY;
        } else if (limits.usdPerMonthNanos() > 0 && month >= limits.usdPerMonthNanos()) {
            code = LimitScripts.BUDGET_MONTH;
        }
        if (code == LimitScripts.OK) {
            long full = (sec + SPAN_SECONDS) * 1000 - nowMs;
            if (limits.requestsPerMinute() > 0) {
                windows.computeIfAbsent(keys.requests(), k -> new TreeMap<>()).merge(sec, 1L, Long::sum);
                r[0]++;
                r[1] = full;
            }
            if (limits.tokensPerMinute() > 0 && tokens > 0) {
                windows.computeIfAbsent(keys.tokens(), k -> new TreeMap<>()).merge(sec, tokens, Long::sum);
                t[0] += tokens;
                t[1] = full;
            }
        }
        return Uni.createFrom().item(new Counts(code, r[0], r[1], r[2], t[0], t[1], t[2], day, month));
    }

    /** {used, reset ms, retry ms}, as the script's {@code window} function. */
    private long[] window(String key, long limit, long need, long nowMs) {
        if (limit <= 0) {
            return new long[3];
        }
        long sec = Math.floorDiv(nowMs, 1000);
        TreeMap<Long, Long> buckets = windows.computeIfAbsent(key, k -> new TreeMap<>());
        buckets.headMap(sec - SPAN_SECONDS, true).clear();
        long used = buckets.values().stream().mapToLong(Long::longValue).sum();
        long reset = buckets.isEmpty() ? 0 : (buckets.lastKey() + SPAN_SECONDS) * 1000 - nowMs;
        if (used + need <= limit) {
            return new long[] {used, reset, 0};
        }
        long retry = SPAN_SECONDS * 1000;
        long freed = 0;
        for (Map.Entry<Long, Long> b : buckets.entrySet()) {
            freed += b.getValue();
            if (used - freed + need <= limit) {
                retry = (b.getKey() + SPAN_SECONDS) * 1000 - nowMs;
                break;
            }
        }
        return new long[] {used, reset, retry};
    }

    @Override
    public synchronized Uni<long[]> reserve(LimitKeys keys, Limits limits, long costNanos) {
        long day = spend.getOrDefault(keys.day(), 0L);
        long month = spend.getOrDefault(keys.month(), 0L);
        if (limits.usdPerDayNanos() > 0 && day + costNanos > limits.usdPerDayNanos()) {
            return Uni.createFrom().item(new long[] {LimitScripts.BUDGET_DAY, day, month});
        }
        if (limits.usdPerMonthNanos() > 0 && month + costNanos > limits.usdPerMonthNanos()) {
            return Uni.createFrom().item(new long[] {LimitScripts.BUDGET_MONTH, day, month});
        }
        spend.merge(keys.day(), costNanos, Long::sum);
        spend.merge(keys.month(), costNanos, Long::sum);
        return Uni.createFrom().item(new long[] {LimitScripts.OK, day + costNanos, month + costNanos});
    }

    @Override
    public synchronized Uni<Void> settle(LimitKeys keys, long nowMs, long admittedSecond, long tokenDelta, long costDeltaNanos) {
        TreeMap<Long, Long> tokens = windows.get(keys.tokens());
        if (tokenDelta > 0) {
            windows.computeIfAbsent(keys.tokens(), k -> new TreeMap<>()).merge(Math.floorDiv(nowMs, 1000), tokenDelta, Long::sum);
        } else if (tokenDelta < 0 && tokens != null && tokens.containsKey(admittedSecond)) {
            tokens.merge(admittedSecond, tokenDelta, Long::sum);
        }
        if (costDeltaNanos != 0) {
            spend.merge(keys.day(), costDeltaNanos, Long::sum);
            spend.merge(keys.month(), costDeltaNanos, Long::sum);
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public synchronized Uni<long[]> spend(LimitKeys keys) {
        return Uni.createFrom().item(new long[] {spend.getOrDefault(keys.day(), 0L), spend.getOrDefault(keys.month(), 0L)});
    }
}
