package dev.expertrouter;

import java.time.Instant;

/**
 * The gateway's one source of time: a monotonic clock for durations and deadlines, a wall clock
 * for timestamps. Injected everywhere time matters, so tests drive it instead of racing it.
 */
public interface GatewayClock {

    /** The system clocks. */
    GatewayClock SYSTEM = new GatewayClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }
    };

    /** Monotonic nanoseconds, only meaningful as differences (like {@link System#nanoTime()}). */
    long nanoTime();

    /** The wall-clock instant (like {@link Instant#now()}). */
    Instant now();
}
