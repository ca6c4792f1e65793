package dev.expertrouter.api;

import dev.expertrouter.config.TenantConfig;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** A validated request with its resolved target and per-request constraints. */
public record RoutedRequest(
        TenantConfig tenant,
        ChatRequest request,
        RouteTarget target,
        OptionalDouble maxCostUsd,
        OptionalLong maxLatencyMs) {
}
