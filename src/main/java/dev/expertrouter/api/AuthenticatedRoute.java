package dev.expertrouter.api;

import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * The frame of every tenant-facing {@code /v1} handler: take the config in force once, find the
 * tenant of the Bearer key, run the body, and turn anything it throws into an OpenAI-style error.
 */
public final class AuthenticatedRoute {

    /** What a handler does once the caller is known. */
    @FunctionalInterface
    public interface Body {
        void handle(RoutingContext ctx, TenantConfig tenant, RouterConfig config);
    }

    private AuthenticatedRoute() {
    }

    /** A Vert.x handler that writes any failure as the error response. */
    public static Handler<RoutingContext> of(ConfigHolder config, Body body) {
        return ctx -> run(ctx, config, body, e -> ApiErrors.write(ctx.response(), e));
    }

    /** Runs {@code body} for the caller; a failure before or inside it goes to {@code onError}. */
    public static void run(RoutingContext ctx, ConfigHolder config, Body body, Consumer<RuntimeException> onError) {
        try {
            RouterConfig cfg = config.current();
            TenantConfig tenant = TenantAuthenticator.authenticate(ctx.request().getHeader("authorization"), cfg);
            body.handle(ctx, tenant, cfg);
        } catch (RuntimeException e) {
            onError.accept(e);
        }
    }
}
