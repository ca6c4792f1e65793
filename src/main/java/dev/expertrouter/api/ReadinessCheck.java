package dev.expertrouter.api;

import dev.expertrouter.config.ConfigHolder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the configuration is loaded, and no longer once shutdown begins. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final ConfigHolder config;
    private final ShutdownGate gate;

    public ReadinessCheck(ConfigHolder config, ShutdownGate gate) {
        this.config = config;
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("router-config").status(config.isLoaded() && !gate.isClosing())
                .withData("shutting-down", gate.isClosing()).build();
    }
}
