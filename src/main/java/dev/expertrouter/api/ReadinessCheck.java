package dev.expertrouter.api;

import dev.expertrouter.config.ConfigHolder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the configuration is loaded. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final ConfigHolder config;

    public ReadinessCheck(ConfigHolder config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("router-config").status(config.isLoaded()).build();
    }
}
