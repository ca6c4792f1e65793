package dev.expertrouter.routing.policy;

import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.IneligibleReason;
import dev.expertrouter.routing.RoutingRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks no weight can outvote: tenant and policy allow-lists, risk tiers, context window,
 * quality floors, cost and latency ceilings from the policy and the caller's headers, and last the
 * expert's live availability. The first failing check, in {@link IneligibleReason} order, is reported.
 * Quality floors read the operator's configured quality, never what feedback taught: otherwise a
 * tenant's ratings could lift a weak expert into a risk tier, or push the right one out of it, for
 * every tenant.
 */
final class HardLimits {

    private final ExpertAvailability availability;
    HardLimits(ExpertAvailability availability) {
        this.availability = availability;
    }

    /**
     * @param applyPolicy false for a forced expert: the caller named it, so the policy's own lists,
     *                    tiers and limits do not apply, but the tenant's, the headers' and health do
     */
    Optional<Ineligibility> check(CandidateEstimate c, RoutingRequest request, List<RiskRule> risks,
            boolean applyPolicy) {
        String id = c.id();
        PolicyConfig policy = request.policy();
        if (!request.tenant().mayUseExpert(id)) {
            return fail(IneligibleReason.TENANT_NOT_ALLOWED, "not allowed for tenant '" + request.tenant().name() + "'");
        }
        if (applyPolicy) {
            if (policy.deniedExperts().contains(id)) {
                return fail(IneligibleReason.POLICY_NOT_ALLOWED, "denied by policy '" + policy.name() + "'");
            }
            if (!policy.allowedExperts().isEmpty() && !policy.allowedExperts().contains(id)) {
                return fail(IneligibleReason.POLICY_NOT_ALLOWED, "not in allowed-experts of policy '" + policy.name() + "'");
            }
            for (RiskRule risk : risks) {
                List<String> allowed = risk.tier().allowedExperts();
                if (!allowed.isEmpty() && !allowed.contains(id)) {
                    return fail(IneligibleReason.RISK_TIER_NOT_ALLOWED,
                            "not in the allow-list of the risk tier for " + risk.domain() + " prompts");
                }
            }
        }
        int maxTokens = request.maxTokens().orElse(0);
        if ((long) request.inputTokens() + maxTokens > c.expert().contextWindow()) {
            return fail(IneligibleReason.CONTEXT_WINDOW, "est. " + request.inputTokens() + " input tokens"
                    + (maxTokens > 0 ? " + max_tokens " + maxTokens : "") + " exceed its context window of "
                    + c.expert().contextWindow());
        }
        if (applyPolicy) {
            for (RiskRule risk : risks) {
                double q = c.expert().qualityFor(risk.domain());
                if (q < risk.tier().minQuality()) {
                    return fail(IneligibleReason.RISK_TIER_MIN_QUALITY, "quality " + num(q) + " in " + risk.domain()
                            + " below the risk tier's min-quality " + num(risk.tier().minQuality()));
                }
            }
            if (c.configuredQuality() < policy.limits().minQuality()) {
                return fail(IneligibleReason.POLICY_MIN_QUALITY, "expected quality " + num(c.configuredQuality())
                        + " below min-quality " + num(policy.limits().minQuality()) + " of policy '" + policy.name() + "'");
            }
            if (policy.limits().maxCostUsd().isPresent() && c.costUsd() > policy.limits().maxCostUsd().getAsDouble()) {
                return fail(IneligibleReason.POLICY_MAX_COST, "est. cost " + num(c.costUsd()) + " USD over max-cost-usd "
                        + num(policy.limits().maxCostUsd().getAsDouble()) + " of policy '" + policy.name() + "'");
            }
            if (policy.limits().maxLatencyMs().isPresent() && c.latencyMs() > policy.limits().maxLatencyMs().getAsLong()) {
                return fail(IneligibleReason.POLICY_MAX_LATENCY, "est. latency " + Math.round(c.latencyMs())
                        + " ms over max-latency-ms " + policy.limits().maxLatencyMs().getAsLong() + " of policy '"
                        + policy.name() + "'");
            }
        }
        if (request.maxCostUsd().isPresent() && c.costUsd() > request.maxCostUsd().getAsDouble()) {
            return fail(IneligibleReason.REQUEST_MAX_COST, "est. cost " + num(c.costUsd()) + " USD over x-router-max-cost-usd "
                    + num(request.maxCostUsd().getAsDouble()));
        }
        if (request.maxLatencyMs().isPresent() && c.latencyMs() > request.maxLatencyMs().getAsLong()) {
            return fail(IneligibleReason.REQUEST_MAX_LATENCY, "est. latency " + Math.round(c.latencyMs())
                    + " ms over x-router-max-latency-ms " + request.maxLatencyMs().getAsLong());
        }
        return availability.unavailableReason(id).map(why -> new Ineligibility(IneligibleReason.UNAVAILABLE, why));
    }

    private static Optional<Ineligibility> fail(IneligibleReason code, String message) {
        return Optional.of(new Ineligibility(code, message));
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.4g", d);
    }
}
