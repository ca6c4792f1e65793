package dev.expertrouter.routing;

/** Ranks the experts for one request under its policy and constraints. Pure: no I/O. */
public interface ExpertSelector {

    RoutingDecision select(RoutingRequest request);
}
