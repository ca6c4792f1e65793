package dev.expertrouter.routing;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The routing core's beans; the core itself stays framework-free. */
@ApplicationScoped
public class RoutingBeans {

    @Produces
    @DefaultBean
    @ApplicationScoped
    PromptClassifier classifier() {
        return new UnknownClassifier();
    }

    @Produces
    @DefaultBean
    @ApplicationScoped
    ExpertAvailability availability() {
        return ExpertAvailability.ALWAYS;
    }

    @Produces
    @ApplicationScoped
    ExpertSelector selector(ExpertAvailability availability) {
        return new DefaultExpertSelector(availability);
    }
}
