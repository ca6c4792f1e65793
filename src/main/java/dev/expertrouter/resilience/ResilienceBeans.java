package dev.expertrouter.resilience;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.experts.DirectExpertInvoker;
import dev.expertrouter.experts.ExpertInvoker;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Puts the guards in front of every expert call and feeds their health to routing: the produced
 * beans replace the {@code @DefaultBean} direct invoker and the always-available default.
 */
@ApplicationScoped
public class ResilienceBeans {

    @Produces
    @Singleton
    ExpertGuards guards(MeterRegistry registry, ConfigHolder config, GatewayClock clock) {
        ExpertGuards guards = new ExpertGuards(Guard::create, clock::nanoTime, registry);
        config.onChange(c -> guards.retain(c.experts()));
        return guards;
    }

    @Produces
    @Singleton
    ExpertInvoker guardedInvoker(DirectExpertInvoker direct, ExpertGuards guards, GatewayClock clock) {
        return new GuardedExpertInvoker(direct, guards, clock::nanoTime);
    }
}
