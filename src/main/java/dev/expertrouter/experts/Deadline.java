package dev.expertrouter.experts;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One deadline for a whole request: attempts and fallbacks share it, so the client never waits
 * past it. Time comes from an injected nano clock so tests can drive it.
 */
public final class Deadline {

    private final LongSupplier nanoClock;
    private final long deadlineNanos;

    public Deadline(LongSupplier nanoClock, Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("deadline budget must be positive, got " + budget);
        }
        this.nanoClock = nanoClock;
        this.deadlineNanos = nanoClock.getAsLong() + budget.toNanos();
    }

    public Duration remaining() {
        long left = deadlineNanos - nanoClock.getAsLong();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    public boolean isExpired() {
        return remaining().isZero();
    }

    /** The time one attempt may take: its own timeout, capped by what is left of the request's. */
    public Duration attemptTimeout(Duration ownTimeout) {
        Duration left = remaining();
        return ownTimeout.compareTo(left) < 0 ? ownTimeout : left;
    }
}
