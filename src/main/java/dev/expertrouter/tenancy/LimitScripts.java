package dev.expertrouter.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that count a tenant's requests, tokens and spend in Redis. Each check is one
 * script, so it runs atomically: replicas sharing the Redis together admit no more than the limit.
 *
 * <p>Rate windows are sliding windows of one-second buckets in a hash (field = epoch second,
 * value = count): the sum of the buckets of the last {@code span} seconds is what was used. Spend
 * is an integer of nano-USD per UTC day and month (exact, unlike floats). Times are the caller's
 * clock, so replicas need synchronised clocks (NTP); the buckets are a second wide.
 */
final class LimitScripts {

    /** Refusal codes returned by {@link #ADMIT} and {@link #RESERVE}. */
    static final int OK = 0;
    static final int REQUESTS = 1;
    static final int TOKENS = 2;
    static final int BUDGET_DAY = 3;
    static final int BUDGET_MONTH = 4;

    private static final String WINDOW = """
            local now = tonumber(ARGV[1])
            local span = tonumber(ARGV[7])
            local sec = math.floor(now / 1000)
            -- used, reset (ms until the window is empty again) and retry (ms until need fits)
            local function window(key, limit, need)
              if limit <= 0 then return {0, 0, 0} end
              local raw = redis.call('HGETALL', key)
              local used, buckets = 0, {}
              for i = 1, #raw, 2 do
                local s, v = tonumber(raw[i]), tonumber(raw[i + 1])
                if s <= sec - span then
                  redis.call('HDEL', key, raw[i])
                else
                  used = used + v
                  buckets[#buckets + 1] = {s, v}
                end
              end
              table.sort(buckets, function(a, b) return a[1] < b[1] end)
              local reset = 0
              if #buckets > 0 then reset = (buckets[#buckets][1] + span) * 1000 - now end
              if used + need <= limit then return {used, reset, 0} end
              local retry, freed = span * 1000, 0
              for _, b in ipairs(buckets) do
                freed = freed + b[2]
                if used - freed + need <= limit then
                  retry = (b[1] + span) * 1000 - now
                  break
                end
              end
              return {used, reset, retry}
            end
            """;

    /**
     * KEYS: requests window, tokens window, day spend, month spend. ARGV: now ms, requests limit,
     * tokens limit, tokens needed, day limit, month limit (nano-USD; 0 = none), window seconds.
     * Returns {code, requests used, requests reset ms, requests retry ms, tokens used, tokens reset
     * ms, tokens retry ms, day spent, month spent}; counts only when the code is {@link #OK}.
     */
    static final String ADMIT = WINDOW + """
            local rl, tl, need = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
            local dl, ml = tonumber(ARGV[5]), tonumber(ARGV[6])
            local r = window(KEYS[1], rl, 1)
            local t = window(KEYS[2], tl, need)
            local day = tonumber(redis.call('GET', KEYS[3]) or '0')
            local month = tonumber(redis.call('GET', KEYS[4]) or '0')
            local code = 0
            if r[3] > 0 then code = 1
            elseif t[3] > 0 then code = 2
            elseif dl > 0 and day >= dl then code = 3
            elseif ml > 0 and month >= ml then code = 4 end
            if code == 0 then
              local full = (sec + span) * 1000 - now
              if rl > 0 then
                redis.call('HINCRBY', KEYS[1], sec, 1)
                redis.call('PEXPIRE', KEYS[1], span * 1000 + 1000)
                r[1] = r[1] + 1
                r[2] = full
              end
              if tl > 0 and need > 0 then
                redis.call('HINCRBY', KEYS[2], sec, need)
                redis.call('PEXPIRE', KEYS[2], span * 1000 + 1000)
                t[1] = t[1] + need
                t[2] = full
              end
            end
            return {code, r[1], r[2], r[3], t[1], t[2], t[3], day, month}
            """;

    /**
     * KEYS: day spend, month spend. ARGV: cost (nano-USD), day limit, month limit (0 = none),
     * day key ttl ms, month key ttl ms. Adds the cost only when both stay within their limits.
     * Returns {code, day spent, month spent}.
     */
    static final String RESERVE = """
            local cost = tonumber(ARGV[1])
            local dl, ml = tonumber(ARGV[2]), tonumber(ARGV[3])
            local day = tonumber(redis.call('GET', KEYS[1]) or '0')
            local month = tonumber(redis.call('GET', KEYS[2]) or '0')
            if dl > 0 and day + cost > dl then return {3, day, month} end
            if ml > 0 and month + cost > ml then return {4, day, month} end
            if cost > 0 then
              day = redis.call('INCRBY', KEYS[1], ARGV[1])
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
              month = redis.call('INCRBY', KEYS[2], ARGV[1])
              redis.call('PEXPIRE', KEYS[2], ARGV[5])
            end
            return {0, day, month}
            """;

    /**
     * KEYS: tokens window, day spend, month spend. ARGV: now ms, second the tokens were counted
     * in, token correction, cost correction (nano-USD), window seconds, day ttl ms, month ttl ms.
     * A token surplus is counted now; a refund goes back to the bucket it was taken from, and
     * lapses with it.
     */
    static final String SETTLE = """
            local now, at = tonumber(ARGV[1]), ARGV[2]
            local tokens, cost, span = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
            if tokens > 0 then
              redis.call('HINCRBY', KEYS[1], math.floor(now / 1000), tokens)
              redis.call('PEXPIRE', KEYS[1], span * 1000 + 1000)
            elseif tokens < 0 and redis.call('HEXISTS', KEYS[1], at) == 1 then
              redis.call('HINCRBY', KEYS[1], at, tokens)
            end
            if cost ~= 0 then
              redis.call('INCRBY', KEYS[2], ARGV[4])
              redis.call('PEXPIRE', KEYS[2], ARGV[6])
              redis.call('INCRBY', KEYS[3], ARGV[4])
              redis.call('PEXPIRE', KEYS[3], ARGV[7])
            end
            return 1
            """;

    private LimitScripts() {
    }

    /** The SHA-1 Redis names a script by in {@code EVALSHA}. */
    static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
