package dev.expertrouter.api;

import dev.expertrouter.config.TenantConfig;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** A validated request with its resolved target, per-request constraints and the caller's conversation name, if any. */
public record RoutedRequest(
        TenantConfig tenant,
        ChatRequest request,
        RouteTarget target,
        OptionalDouble maxCostUsd,
        OptionalLong maxLatencyMs,
        Optional<String> session) {

    /** The same request with another cost ceiling (what is left of the tenant's budget, say). */
    public RoutedRequest withMaxCostUsd(double ceiling) {
        return new RoutedRequest(tenant, request, target, OptionalDouble.of(ceiling), maxLatencyMs, session);
    }
}
