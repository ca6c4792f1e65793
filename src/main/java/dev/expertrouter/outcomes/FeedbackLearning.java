package dev.expertrouter.outcomes;

import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.policy.ExpertStats;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * What the shared estimates ({@link ExpertStats}) learn from a feedback or an outcome, with the
 * rules that keep one caller from steering everyone's routing:
 * <ul>
 * <li>a score rates the answering expert in the <em>routed</em> domain only; a feedback whose
 * domain correction names another domain moves no estimate at all: the correction is a training
 * label for the router (retraining reads it), not a rating in the corrected domain, since that is
 * exactly how a caller could rate a weak expert into a domain it never served;</li>
 * <li>each tenant's scores count its {@code trust} (tenants.yaml, 0..1) apiece and at most the
 * per-tenant cap in all, per expert and domain ({@link ExpertStats});</li>
 * <li>feedback of a tenant no longer configured counts for nothing.</li>
 * </ul>
 * Risk tiers and quality floors ignore learned quality altogether (see the policy engine).
 */
public final class FeedbackLearning {

    private final ExpertStats stats;
    private final Function<String, OptionalDouble> trustOfTenant;

    /** @param trustOfTenant a tenant's trust from the config in force, empty for an unknown tenant */
    public FeedbackLearning(ExpertStats stats, Function<String, OptionalDouble> trustOfTenant) {
        this.stats = stats;
        this.trustOfTenant = trustOfTenant;
    }

    /** Applies a feedback; returns whether it moved an estimate. */
    public boolean learn(Feedback f) {
        if (Classification.UNKNOWN_DOMAIN.equals(f.routedDomain()) || f.expert() == null) {
            return false;
        }
        if (f.correctedDomain().isPresent() && !f.correctedDomain().get().equals(f.routedDomain())) {
            return false;
        }
        OptionalDouble trust = trustOfTenant.apply(f.tenant());
        if (trust.isEmpty() || trust.getAsDouble() <= 0) {
            return false;
        }
        // a jury's verdicts are one source of their own, so they are capped like any tenant
        String source = f.source() == Feedback.Source.USER ? "tenant:" + f.tenant() : "jury";
        stats.recordFeedback(f.expert(), f.routedDomain(), source, trust.getAsDouble(), f.score());
        return true;
    }

    /** What another replica's answered request teaches: the expert's latency and answer length. */
    public void learn(OutcomeRecord o) {
        if (!o.succeeded() || o.expert() == null || o.upstreamLatencyMs() <= 0) {
            return;
        }
        stats.recordLatency(o.expert(), o.upstreamLatencyMs());
        if (!Classification.UNKNOWN_DOMAIN.equals(o.domain()) && o.completionTokens() > 0) {
            stats.recordOutputTokens(o.expert(), o.domain(), o.completionTokens());
        }
    }
}
