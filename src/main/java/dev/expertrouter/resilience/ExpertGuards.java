package dev.expertrouter.resilience;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.MetricNames;
import dev.expertrouter.routing.ExpertAvailability;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The guards of all experts, keyed by expert id and rebuilt when a reload changes an expert's
 * protection settings (a new breaker starts closed; calls in flight finish on the old one). Also
 * routing's view of expert health: an open circuit or a full bulkhead makes the expert ineligible.
 */
public final class ExpertGuards implements ExpertAvailability {

    private final Supplier<Guard.Builder> builders;
    private final LongSupplier nanoClock;
    private final MeterRegistry registry;
    private final ResilienceMetrics metrics;
    private final ConcurrentMap<String, ExpertGuard> guards = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    /**
     * @param builders  new SmallRye guard builders ({@code Guard::create} in the application)
     * @param nanoClock the clock routing's view of an open circuit is measured with
     */
    public ExpertGuards(Supplier<Guard.Builder> builders, LongSupplier nanoClock, MeterRegistry registry) {
        this.builders = builders;
        this.nanoClock = nanoClock;
        this.registry = registry;
        this.metrics = new ResilienceMetrics(registry);
    }

    /** The guard for the expert's current settings. */
    public ExpertGuard guardFor(ExpertConfig expert) {
        ExpertGuard existing = guards.get(expert.id());
        if (existing != null && existing.sameSettings(expert)) {
            return existing;
        }
        return guards.compute(expert.id(), (id, current) -> {
            if (current != null && current.sameSettings(expert)) {
                return current;
            }
            registerGauges(id);
            return new ExpertGuard(expert, builders, nanoClock, metrics);
        });
    }

    /** The guard in use for an expert, if it was called since its settings last changed. */
    public Optional<ExpertGuard> current(String expertId) {
        return Optional.ofNullable(guards.get(expertId));
    }

    ResilienceMetrics metrics() {
        return metrics;
    }

    @Override
    public Optional<String> unavailableReason(String expertId) {
        ExpertGuard guard = guards.get(expertId);
        return guard == null ? Optional.empty() : guard.unavailableReason();
    }

    /** After a reload: forgets the experts that are gone, and the guards whose settings changed. */
    public void retain(Collection<ExpertConfig> experts) {
        Set<String> ids = experts.stream().map(ExpertConfig::id).collect(Collectors.toSet());
        guards.keySet().retainAll(ids);
        for (ExpertConfig e : experts) {
            guards.computeIfPresent(e.id(), (id, g) -> g.sameSettings(e) ? g : null);
        }
    }

    private void registerGauges(String expertId) {
        if (!gauged.add(expertId)) {
            return;
        }
        Gauge.builder(MetricNames.EXPERT_CIRCUIT_STATE, this, g -> g.current(expertId).map(x -> circuitValue(x.circuit())).orElse(0.0))
                .description("Circuit breaker state per expert: 0 closed, 1 half-open, 2 open")
                .tag("expert", expertId).register(registry);
        Gauge.builder(MetricNames.EXPERT_IN_FLIGHT, this, g -> g.current(expertId).map(x -> x.inFlight() + x.openStreams()).orElse(0))
                .description("Attempts running against each expert")
                .tag("expert", expertId).register(registry);
    }

    static double circuitValue(CircuitBreakerState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }
}
