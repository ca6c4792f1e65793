package dev.expertrouter.api;

import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.experts.ExpertEndpoints;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * Who may call the simulated experts under {@code /sim}: the gateway itself (with its per-process
 * key, see {@link ExpertEndpoints#isSimulatedKey}) and tenants whose key allows that expert, like
 * {@code /v1}. Runs before any body is read; with no simulated expert configured, nothing is
 * there. Everything else is an OpenAI-style 401 or 404.
 */
@ApplicationScoped
public class SimulatedExpertGuard {

    private final ConfigHolder config;
    private final ExpertEndpoints endpoints;

    public SimulatedExpertGuard(ConfigHolder config, ExpertEndpoints endpoints) {
        this.config = config;
        this.endpoints = endpoints;
    }

    void register(@Observes Router router) {
        router.route(ExpertEndpoints.SIMULATED_PREFIX + "*").order(-2).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        try {
            RouterConfig cfg = config.current();
            if (cfg.experts().stream().noneMatch(ExpertConfig::isSimulated)) {
                throw notFound();
            }
            String authorization = ctx.request().getHeader("authorization");
            if (endpoints.isSimulatedKey(authorization)) {
                ctx.next();
                return;
            }
            TenantConfig tenant = TenantAuthenticator.authenticate(authorization, cfg);
            String rest = ctx.request().path().substring(ExpertEndpoints.SIMULATED_PREFIX.length());
            String id = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            Optional<ExpertConfig> expert = cfg.expert(id).filter(ExpertConfig::isSimulated).filter(e -> tenant.mayUseExpert(e.id()));
            if (expert.isEmpty()) {
                throw notFound();
            }
            ctx.next();
        } catch (RuntimeException e) {
            ctx.response().putHeader("connection", "close");
            ApiErrors.write(ctx.response(), e);
        }
    }

    private static ApiException notFound() {
        return ApiException.notFound("model_not_found", "No such simulated expert.", null);
    }
}
