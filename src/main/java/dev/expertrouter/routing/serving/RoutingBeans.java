package dev.expertrouter.routing.serving;

import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.ExpertSelector;

import dev.expertrouter.routing.policy.ExpertStats;
import dev.expertrouter.routing.policy.PolicyEngine;
import dev.expertrouter.routing.policy.QualityBlend;
import dev.expertrouter.config.RouterSettings;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

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
    ExpertStats stats() {
        return new ExpertStats();
    }

    @Produces
    @ApplicationScoped
    ExpertSelector selector(ExpertAvailability availability, ExpertStats stats, ServingQualityPredictor quality,
            RouterSettings settings) {
        return new PolicyEngine(availability, stats, quality, new QualityBlend(settings.qualityPriorWeight()),
                PolicyEngine.THREAD_LOCAL_RANDOM);
    }
}
