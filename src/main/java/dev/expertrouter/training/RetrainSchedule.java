package dev.expertrouter.training;

import dev.expertrouter.GatewayClock;
import java.time.Duration;
import java.time.Instant;

/**
 * When a scheduled retrain is due: {@code interval} after the schedule started, then
 * {@code interval} after each run began. Ticked by a timer; the clock is injected so a test drives
 * time instead of waiting for it.
 */
public final class RetrainSchedule {

    private final Duration interval;
    private final GatewayClock clock;
    private final Runnable retrain;
    private Instant next;

    public RetrainSchedule(Duration interval, GatewayClock clock, Runnable retrain) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("router.retrain.schedule must be a positive duration, was " + interval);
        }
        this.interval = interval;
        this.clock = clock;
        this.retrain = retrain;
        this.next = clock.now().plus(interval);
    }

    /** Runs the retrain if it is due; returns whether it ran. */
    public synchronized boolean tick() {
        Instant now = clock.now();
        if (now.isBefore(next)) {
            return false;
        }
        next = now.plus(interval);
        retrain.run();
        return true;
    }

    public synchronized Instant next() {
        return next;
    }
}
