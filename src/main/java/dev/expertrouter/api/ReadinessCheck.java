package dev.expertrouter.api;

import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.routing.serving.ServingRouter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the configuration and the router model are loaded, and no longer once shutdown begins. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final ConfigHolder config;
    private final ShutdownGate gate;
    private final ServingRouter router;

    public ReadinessCheck(ConfigHolder config, ShutdownGate gate, ServingRouter router) {
        this.config = config;
        this.gate = gate;
        this.router = router;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("router").status(config.isLoaded() && router.isLoaded() && !gate.isClosing())
                .withData("config-loaded", config.isLoaded())
                .withData("router-version", router.version())
                .withData("shutting-down", gate.isClosing()).build();
    }
}
