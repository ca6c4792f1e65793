package dev.expertrouter.api;

import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import java.util.Optional;

/**
 * What a request's {@code model} and {@code x-router-policy} resolve to: the policy in force and,
 * for {@code model: <expert id>}, the forced expert. Header over model name over tenant default;
 * an unknown policy is 404 wherever it came from.
 */
public record RouteTarget(PolicyConfig policy, Optional<String> forcedExpert) {

    public static RouteTarget resolve(String model, String policyHeader, TenantConfig tenant, RouterConfig config) {
        Optional<String> forced = Optional.empty();
        String policyName;
        if (RouterConfig.AUTO.equals(model)) {
            policyName = tenant.policy();
        } else if (config.policy(model).isPresent()) {
            policyName = model;
        } else if (config.expert(model).isPresent()) {
            forced = Optional.of(model);
            policyName = tenant.policy();
            if (!tenant.mayUseExpert(model)) {
                throw ApiException.forbidden("expert_not_allowed", "Tenant '" + tenant.name() + "' may not use expert '" + model + "'.");
            }
        } else {
            throw ApiException.notFound("unknown_model", "The model '" + model + "' does not exist. Use 'auto', a policy or an expert listed by GET /v1/models.", "model");
        }
        if (policyHeader != null) {
            policyName = policyHeader;
        }
        String name = policyName;
        PolicyConfig policy = config.policy(name).orElseThrow(() -> ApiException.notFound("unknown_policy",
                "The policy '" + name + "' does not exist.", policyHeader != null ? RoutingHeaders.POLICY : "model"));
        if (!tenant.mayUsePolicy(name)) {
            throw ApiException.forbidden("policy_not_allowed", "Tenant '" + tenant.name() + "' may not use policy '" + name + "'.");
        }
        return new RouteTarget(policy, forced);
    }
}
