package dev.expertrouter.tenancy;

import dev.expertrouter.tenancy.LimitStore.Limits;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's rate-limit headers: {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}}, the
 * reset written as OpenAI writes it ({@code 20ms}, {@code 1.5s}, {@code 6m0s}), for each limit the
 * tenant has.
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    static Map<String, String> of(Limits limits, Counts counts) {
        Map<String, String> h = new LinkedHashMap<>();
        if (limits.requestsPerMinute() > 0) {
            put(h, "requests", limits.requestsPerMinute(), counts.requestsUsed(), counts.requestsResetMs());
        }
        if (limits.tokensPerMinute() > 0) {
            put(h, "tokens", limits.tokensPerMinute(), counts.tokensUsed(), counts.tokensResetMs());
        }
        return h;
    }

    private static void put(Map<String, String> h, String what, long limit, long used, long resetMs) {
        h.put("x-ratelimit-limit-" + what, Long.toString(limit));
        h.put("x-ratelimit-remaining-" + what, Long.toString(Math.max(0, limit - used)));
        h.put("x-ratelimit-reset-" + what, duration(resetMs));
    }

    /** A duration the way Go prints one (OpenAI's format): {@code 0s}, {@code 17ms}, {@code 1.5s}, {@code 6m0s}, {@code 1h2m3s}. */
    public static String duration(long ms) {
        if (ms <= 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        long hours = ms / 3_600_000;
        long minutes = ms % 3_600_000 / 60_000;
        String seconds = BigDecimal.valueOf(ms % 60_000, 3).stripTrailingZeros().toPlainString() + "s";
        if (hours > 0) {
            return hours + "h" + minutes + "m" + seconds;
        }
        return minutes > 0 ? minutes + "m" + seconds : seconds;
    }

    /** {@code Retry-After}: whole seconds, at least 1. */
    static int retryAfterSeconds(long ms) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (ms + 999) / 1000));
    }
}
