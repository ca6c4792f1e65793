package dev.expertrouter;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The system clock as a bean; a test replaces it with an alternative to drive time. */
@ApplicationScoped
public class ClockBeans {

    @Produces
    @Singleton
    @DefaultBean
    GatewayClock clock() {
        return GatewayClock.SYSTEM;
    }
}
