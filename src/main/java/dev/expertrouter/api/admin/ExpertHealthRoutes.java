package dev.expertrouter.api.admin;

import dev.expertrouter.Json;
import dev.expertrouter.resilience.ExpertGuard;
import dev.expertrouter.resilience.ExpertGuards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.api.ApiErrors;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.FaultToleranceConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /admin/experts}: each expert's circuit, calls in flight and protection settings.
 * Admin key required ({@link AdminGate}).
 */
@ApplicationScoped
public class ExpertHealthRoutes {

    private static final ObjectMapper JSON = Json.MAPPER;

    private final ConfigHolder config;
    private final ExpertGuards guards;

    public ExpertHealthRoutes(ConfigHolder config, ExpertGuards guards) {
        this.config = config;
        this.guards = guards;
    }

    void register(@Observes Router router) {
        router.get("/admin/experts").handler(this::experts);
    }

    private void experts(RoutingContext ctx) {
        try {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode list = root.putArray("experts");
            for (ExpertConfig e : config.current().experts()) {
                list.add(view(e));
            }
            ctx.response().putHeader("content-type", "application/json").end(root.toString());
        } catch (RuntimeException e) {
            ApiErrors.write(ctx.response(), e);
        }
    }

    private ObjectNode view(ExpertConfig e) {
        Optional<ExpertGuard> guard = guards.current(e.id()).filter(g -> g.sameSettings(e));
        CircuitBreakerState circuit = guard.map(ExpertGuard::circuit).orElse(CircuitBreakerState.CLOSED);
        Optional<String> reason = guard.flatMap(ExpertGuard::unavailableReason);
        ObjectNode n = JSON.createObjectNode();
        n.put("id", e.id());
        n.put("available", reason.isEmpty());
        if (reason.isPresent()) {
            n.put("reason", reason.get());
        } else {
            n.putNull("reason");
        }
        n.put("circuit", circuit.name().toLowerCase(Locale.ROOT));
        n.put("circuit_open_ms_left", guard.map(ExpertGuard::openMillisLeft).orElse(0L));
        n.put("in_flight", guard.map(ExpertGuard::inFlight).orElse(0));
        n.put("open_streams", guard.map(ExpertGuard::openStreams).orElse(0));
        n.put("max_concurrency", e.maxConcurrency());
        n.put("timeout_ms", e.timeoutMs());
        FaultToleranceConfig ft = e.faultTolerance();
        ObjectNode f = n.putObject("fault_tolerance");
        f.put("retries", ft.retries());
        f.put("backoff_ms", ft.backoffMs());
        f.put("jitter_ms", ft.jitterMs());
        f.put("failure_ratio", ft.failureRatio());
        f.put("request_volume", ft.requestVolume());
        f.put("delay_ms", ft.openDelayMs());
        f.put("success_threshold", ft.successThreshold());
        f.put("queue_size", ft.queueSize());
        return n;
    }
}
