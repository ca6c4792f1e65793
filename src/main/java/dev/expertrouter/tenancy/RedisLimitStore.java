package dev.expertrouter.tenancy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits every replica shares: each check is one Lua script run atomically by Redis
 * ({@link LimitScripts}), called by its SHA-1 and sent whole only when Redis does not know it yet
 * (first use, or after a restart).
 */
final class RedisLimitStore implements LimitStore {

    /** One Redis command, as {@code ReactiveRedisDataSource.execute} sends it. */
    @FunctionalInterface
    interface RedisCall {
        Uni<Response> execute(String command, String... args);
    }

    private static final String ADMIT_SHA = LimitScripts.sha1(LimitScripts.ADMIT);
    private static final String RESERVE_SHA = LimitScripts.sha1(LimitScripts.RESERVE);
    private static final String SETTLE_SHA = LimitScripts.sha1(LimitScripts.SETTLE);
    private static final long WINDOW_SECONDS = 60;

    private final RedisCall redis;

    RedisLimitStore(RedisCall redis) {
        this.redis = redis;
    }

    @Override
    public Uni<Counts> admit(LimitKeys keys, Limits limits, long nowMs, long tokens) {
        return run(LimitScripts.ADMIT, ADMIT_SHA, List.of(keys.requests(), keys.tokens(), keys.day(), keys.month()),
                List.of(nowMs, limits.requestsPerMinute(), limits.tokensPerMinute(), tokens, limits.usdPerDayNanos(),
                        limits.usdPerMonthNanos(), WINDOW_SECONDS))
                .map(RedisLimitStore::longs).map(Counts::of);
    }

    @Override
    public Uni<long[]> reserve(LimitKeys keys, Limits limits, long costNanos) {
        return run(LimitScripts.RESERVE, RESERVE_SHA, List.of(keys.day(), keys.month()),
                List.of(costNanos, limits.usdPerDayNanos(), limits.usdPerMonthNanos(), LimitKeys.DAY_TTL.toMillis(),
                        LimitKeys.MONTH_TTL.toMillis()))
                .map(RedisLimitStore::longs);
    }

    @Override
    public Uni<Void> settle(LimitKeys keys, long nowMs, long admittedSecond, long tokenDelta, long costDeltaNanos) {
        return run(LimitScripts.SETTLE, SETTLE_SHA, List.of(keys.tokens(), keys.day(), keys.month()),
                List.of(nowMs, admittedSecond, tokenDelta, costDeltaNanos, WINDOW_SECONDS, LimitKeys.DAY_TTL.toMillis(),
                        LimitKeys.MONTH_TTL.toMillis()))
                .replaceWithVoid();
    }

    @Override
    public Uni<long[]> spend(LimitKeys keys) {
        return redis.execute("MGET", keys.day(), keys.month()).map(r -> new long[] {asLong(r.get(0)), asLong(r.get(1))});
    }

    private Uni<Response> run(String script, String sha, List<String> keys, List<Long> args) {
        List<String> tail = new ArrayList<>();
        tail.add(Integer.toString(keys.size()));
        tail.addAll(keys);
        args.forEach(a -> tail.add(Long.toString(a)));
        String[] rest = tail.toArray(String[]::new);
        return redis.execute("EVALSHA", prepend(sha, rest))
                .onFailure(RedisLimitStore::isNoScript).recoverWithUni(() -> redis.execute("EVAL", prepend(script, rest)));
    }

    private static boolean isNoScript(Throwable t) {
        return t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static long[] longs(Response r) {
        long[] out = new long[r.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = asLong(r.get(i));
        }
        return out;
    }

    private static long asLong(Response r) {
        return r == null ? 0 : Long.parseLong(r.toString());
    }
}
