package dev.expertrouter.tenancy;

import dev.expertrouter.tenancy.LimitStore.Limits;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One admitted request's ticket: what was counted for it (so the answer's real usage can correct
 * it), the headers to send, and its concurrency slot. Settled exactly once.
 */
public final class Admission {

    final String tenant;
    final LimitKeys keys;
    final Limits limits;
    final long admittedSecond;
    final long tokensCounted;
    final boolean shared;
    final boolean local;
    private final Map<String, String> headers;
    private final OptionalDouble remainingUsd;
    private final Runnable release;
    volatile long costReservedNanos;
    final AtomicBoolean settled = new AtomicBoolean();

    Admission(String tenant, LimitKeys keys, Limits limits, long admittedSecond, long tokensCounted, boolean shared,
            boolean local, Map<String, String> headers, OptionalDouble remainingUsd, Runnable release) {
        this.tenant = tenant;
        this.keys = keys;
        this.limits = limits;
        this.admittedSecond = admittedSecond;
        this.tokensCounted = tokensCounted;
        this.shared = shared;
        this.local = local;
        this.headers = Map.copyOf(headers);
        this.remainingUsd = remainingUsd;
        this.release = release;
    }

    /** The {@code x-ratelimit-*} headers every answer to this request carries. */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * What is left of the tenant's day and month budget at admission, the tighter of the two: a
     * ceiling on this request's estimated cost, like {@code x-router-max-cost-usd}.
     */
    public OptionalDouble remainingBudgetUsd() {
        return remainingUsd;
    }

    /** The cost counted against the budget so far (the estimate, once reserved). */
    public double reservedUsd() {
        return costReservedNanos / 1e9;
    }

    void release() {
        release.run();
    }
}
