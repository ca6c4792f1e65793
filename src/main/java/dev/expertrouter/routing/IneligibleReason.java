package dev.expertrouter.routing;

/**
 * Why a candidate may not take a request, machine-readable. {@link #UNAVAILABLE} is transient (an
 * open circuit or a full bulkhead: 503 when it is all that is left); every other code is a
 * constraint the expert cannot meet for this request (422 {@code constraint_unmet} when no expert
 * meets them all). Candidates are checked in declaration order and report the first failing code,
 * so an unavailable candidate met every constraint.
 */
public enum IneligibleReason {

    /** the tenant's {@code allowed-experts} leaves it out */
    TENANT_NOT_ALLOWED(null),
    /** the policy's {@code allowed-experts} leaves it out, or {@code denied-experts} names it */
    POLICY_NOT_ALLOWED(null),
    /** a risk tier that applies to this prompt has an allow-list without it */
    RISK_TIER_NOT_ALLOWED(null),
    /** input plus {@code max_tokens} exceed its context window */
    CONTEXT_WINDOW(null),
    /** a risk tier that applies needs more quality in its domain */
    RISK_TIER_MIN_QUALITY(null),
    /** below the policy's {@code limits.min-quality} */
    POLICY_MIN_QUALITY(null),
    /** over the policy's {@code limits.max-cost-usd} */
    POLICY_MAX_COST(null),
    /** over the policy's {@code limits.max-latency-ms} */
    POLICY_MAX_LATENCY(null),
    /** over the caller's {@code x-router-max-cost-usd} */
    REQUEST_MAX_COST("x-router-max-cost-usd"),
    /** over the caller's {@code x-router-max-latency-ms} */
    REQUEST_MAX_LATENCY("x-router-max-latency-ms"),
    /** circuit open or at its concurrency limit */
    UNAVAILABLE(null);

    private final String header;

    IneligibleReason(String header) {
        this.header = header;
    }

    /** The request header that set the constraint, or null when configuration set it. */
    public String header() {
        return header;
    }

    /** A constraint no retry can fix, as opposed to a transient unavailability. */
    public boolean isConstraint() {
        return this != UNAVAILABLE;
    }
}
