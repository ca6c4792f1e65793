package dev.expertrouter.api;

import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.routing.serving.ServingRouter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the configuration and the router model are loaded and every connection is guarded
 * ({@link ConnectionGuards}), and no longer once shutdown begins.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final ConfigHolder config;
    private final ShutdownGate gate;
    private final ServingRouter router;
    private final ConnectionGuards guards;

    public ReadinessCheck(ConfigHolder config, ShutdownGate gate, ServingRouter router, ConnectionGuards guards) {
        this.config = config;
        this.gate = gate;
        this.router = router;
        this.guards = guards;
    }

    @Override
    public HealthCheckResponse call() {
        boolean guarded = guards.isInstalled();
        return HealthCheckResponse.named("router").status(config.isLoaded() && router.isLoaded() && guarded && !gate.isClosing())
                .withData("config-loaded", config.isLoaded())
                .withData("connections-guarded", guarded ? "yes" : guards.problem())
                .withData("router-version", router.version())
                .withData("shutting-down", gate.isClosing()).build();
    }
}
