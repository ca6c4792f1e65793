package dev.expertrouter.routing;

import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Everything the policy needs to rank experts for one request.
 *
 * @param config          the configuration in force
 * @param tenant          the caller
 * @param policy          the policy in force (header over model name over tenant default)
 * @param classification  the router's view of the prompt
 * @param inputTokens     estimated input tokens
 * @param maxTokens       the caller's {@code max_tokens}, when set
 * @param maxCostUsd      {@code x-router-max-cost-usd}
 * @param maxLatencyMs    {@code x-router-max-latency-ms}
 * @param forcedExpert    {@code model: <expert id>}: classified but not routed
 * @param choices         answers asked for ({@code n}, 1 when unset): each one's output is paid for
 */
public record RoutingRequest(
        RouterConfig config,
        TenantConfig tenant,
        PolicyConfig policy,
        Classification classification,
        int inputTokens,
        OptionalInt maxTokens,
        OptionalDouble maxCostUsd,
        OptionalLong maxLatencyMs,
        Optional<String> forcedExpert,
        int choices) {

    /** One answer ({@code n} unset). */
    public RoutingRequest(RouterConfig config, TenantConfig tenant, PolicyConfig policy, Classification classification,
            int inputTokens, OptionalInt maxTokens, OptionalDouble maxCostUsd, OptionalLong maxLatencyMs, Optional<String> forcedExpert) {
        this(config, tenant, policy, classification, inputTokens, maxTokens, maxCostUsd, maxLatencyMs, forcedExpert, 1);
    }
}
