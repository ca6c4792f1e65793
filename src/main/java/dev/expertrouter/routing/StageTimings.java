package dev.expertrouter.routing;

/** Receives how long each routing stage took; the routing core stays free of any metrics library. */
@FunctionalInterface
public interface StageTimings {

    /** Records nothing: tests, training and warm-up passes. */
    StageTimings NONE = (stage, nanos) -> {
    };

    void record(RoutingStage stage, long nanos);
}
