package dev.expertrouter;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The gateway's one source of time: a monotonic clock for durations and deadlines, a wall clock
 * for timestamps. Injected everywhere time matters on the serving path, so tests drive it instead
 * of racing it; code written against {@link java.time.Clock} gets {@link #asClock()}, a view of
 * this clock, never a second one.
 *
 * <p>{@link System#nanoTime()} is read directly only where it measures the machine's own work and
 * no behaviour a test would drive depends on it: offline training's step durations and temporary
 * file names ({@code TrainingPipeline}, {@code Retrainer}, {@code KFoldRefit}, ...), the model load
 * time {@code ServingRouter} logs, and {@code RecordClassifier}'s pacing of its CPU share (its
 * tests pass a clock of their own).
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

    /** This clock's wall time as a {@link java.time.Clock} in UTC: moves when this clock moves. */
    default Clock asClock() {
        return new WallClock(this, ZoneOffset.UTC);
    }

    /** {@link GatewayClock#asClock()}: every read goes to {@link GatewayClock#now()}. */
    final class WallClock extends Clock {

        private final GatewayClock clock;
        private final ZoneId zone;

        private WallClock(GatewayClock clock, ZoneId zone) {
            this.clock = clock;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return zone.equals(this.zone) ? this : new WallClock(clock, zone);
        }

        @Override
        public Instant instant() {
            return clock.now();
        }
    }
}
