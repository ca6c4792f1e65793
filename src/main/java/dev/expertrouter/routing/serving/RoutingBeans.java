package dev.expertrouter.routing.serving;

import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.ExpertSelector;

import dev.expertrouter.routing.policy.ExpertStats;
import dev.expertrouter.routing.policy.PolicyEngine;
import dev.expertrouter.routing.policy.QualityBlend;
import dev.expertrouter.config.RouterSettings;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import dev.expertrouter.config.RouterSettings;

/** The routing core's beans; the core itself stays framework-free. */
@ApplicationScoped
public class RoutingBeans {

    @Produces
    @DefaultBean
    @ApplicationScoped
    ExpertAvailability availability() {
        return ExpertAvailability.ALWAYS;
    }

    @Produces
    @ApplicationScoped
    ExpertStats stats(RouterSettings settings) {
        return new ExpertStats(ExpertStats.DEFAULT_OUTPUT_TOKENS, ExpertStats.DEFAULT_LATENCY_ALPHA,
                ExpertStats.DEFAULT_PRIOR_WEIGHT, settings.feedback().maxSamplesPerTenant());
    }

    /** The shadow router: a listener of the outcome path (off the request path, bounded queue). */
    @Produces
    @Singleton
    ShadowRouter shadowRouter(RouterSettings settings) {
        return new ShadowRouter(settings.shadow().share(), settings.shadow().queueSize());
    }

    void closeShadow(@Disposes ShadowRouter shadow) {
        shadow.close();
    }

    @Produces
    @ApplicationScoped
    ExpertSelector selector(ExpertAvailability availability, ExpertStats stats, ServingQualityPredictor quality,
            RouterSettings settings, ExplorationRandom exploration) {
        return new PolicyEngine(availability, stats, quality, new QualityBlend(settings.qualityPriorWeight()),
                exploration.generator());
    }

    @Produces
    @DefaultBean
    @Singleton
    ExplorationRandom explorationRandom() {
        return ExplorationRandom.THREAD_LOCAL;
    }
}
