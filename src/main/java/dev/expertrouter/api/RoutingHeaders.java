package dev.expertrouter.api;

import java.math.BigDecimal;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** The per-request routing headers of the public contract, parsed strictly (bad values are 400). */
public final class RoutingHeaders {

    public static final String REQUEST_ID = "x-request-id";
    public static final String EXPERT = "x-router-expert";
    public static final String DOMAIN = "x-router-domain";
    public static final String CONFIDENCE = "x-router-confidence";
    public static final String POLICY = "x-router-policy";
    public static final String VERSION = "x-router-version";
    public static final String FALLBACKS = "x-router-fallbacks";
    public static final String MAX_COST_USD = "x-router-max-cost-usd";
    public static final String MAX_LATENCY_MS = "x-router-max-latency-ms";
    /** The caller's name for its conversation (conversation affinity); optional. */
    public static final String SESSION = "x-router-session";
    /** How conversation affinity decided: {@code new}, {@code kept} or {@code switched}; absent when it did not apply. */
    public static final String AFFINITY = "x-router-affinity";
    /**
     * What the policy's answer verifier made of its draft expert's answer: {@code accepted} (the
     * draft's answer is this one) or {@code rejected} (escalated); absent when no verifier judged.
     */
    public static final String VERIFIER = "x-router-verifier";

    private static final java.util.regex.Pattern SAFE_SESSION = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private RoutingHeaders() {
    }

    public static OptionalDouble maxCostUsd(String value) {
        if (value == null) {
            return OptionalDouble.empty();
        }
        try {
            BigDecimal d = new BigDecimal(value.trim());
            if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
                throw new NumberFormatException();
            }
            return OptionalDouble.of(d.doubleValue());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_header", MAX_COST_USD + " must be a non-negative decimal number of USD, got '" + value + "'", MAX_COST_USD);
        }
    }

    public static OptionalLong maxLatencyMs(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            long ms = Long.parseLong(value.trim());
            if (ms < 1 || ms > 3_600_000) {
                throw new NumberFormatException();
            }
            return OptionalLong.of(ms);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_header", MAX_LATENCY_MS + " must be a whole number of milliseconds between 1 and 3600000, got '" + value + "'", MAX_LATENCY_MS);
        }
    }

    public static String policy(String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw ApiException.badRequest("invalid_header", POLICY + " must name a policy", POLICY);
        }
        return value.trim();
    }

    /** {@code x-router-session}: kept as sent when it is 1-128 characters of {@code [A-Za-z0-9._-]}, like a request id. */
    public static java.util.Optional<String> session(String value) {
        if (value == null) {
            return java.util.Optional.empty();
        }
        if (!SAFE_SESSION.matcher(value).matches()) {
            throw ApiException.badRequest("invalid_header", SESSION + " must be 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-'",
                    SESSION);
        }
        return java.util.Optional.of(value);
    }
}
