package dev.expertrouter.routing;

/**
 * Receives how long each routing stage took, measured on its own {@link #nanoTime} (the gateway's
 * injected clock); the routing core stays free of any metrics library.
 */
@FunctionalInterface
public interface StageTimings {

    /** Records nothing and reads no clock: tests, training and warm-up passes. */
    StageTimings NONE = new StageTimings() {
        @Override
        public void record(RoutingStage stage, long nanos) {
        }

        @Override
        public long nanoTime() {
            return 0;
        }
    };

    void record(RoutingStage stage, long nanos);

    /** The monotonic clock stages are measured on, in nanoseconds; the system's unless overridden. */
    default long nanoTime() {
        return System.nanoTime();
    }
}
