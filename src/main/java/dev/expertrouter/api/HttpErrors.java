package dev.expertrouter.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The HTTP layer's own refusals (a method a route does not take, a body too large or unreadable,
 * a failure no handler caught) in the OpenAI error shape, with one log line and no stack trace.
 */
@ApplicationScoped
public class HttpErrors {

    private static final Logger LOG = Logger.getLogger(HttpErrors.class);

    private volatile Router router;

    void register(@Observes Router router) {
        this.router = router;
        router.errorHandler(400, ctx -> write(ctx, new ApiException(400, "invalid_request_error", "invalid_request",
                "The request could not be read.", null, Optional.empty())));
        router.errorHandler(405, ctx -> write(ctx, new ApiException(405, "invalid_request_error", "method_not_allowed",
                "Method " + ctx.request().method() + " is not allowed here.", null, Optional.empty())));
        router.errorHandler(413, ctx -> write(ctx, ApiException.tooLarge("Request body is too large.")));
        router.errorHandler(415, ctx -> write(ctx, unsupportedMediaType()));
        router.errorHandler(431, ctx -> write(ctx, new ApiException(431, "invalid_request_error", "headers_too_large",
                "Request headers are too large.", null, Optional.empty())));
        router.errorHandler(500, ctx -> {
            Throwable failure = ctx.failure();
            LOG.errorf("unhandled failure on %s %s: %s", ctx.request().method(), ctx.request().path(),
                    failure == null ? "no cause" : failure.getClass().getName());
            write(ctx, new ApiException(500, "server_error", "internal_error", "internal error", null, Optional.empty()));
        });
    }

    /**
     * A request no route or resource took: 405 with {@code Allow} when the path is a route that
     * takes other methods (or the method is one no endpoint here takes), else 404.
     */
    static ApiException unrouted(Router web, HttpMethod method, String path) {
        Set<String> allowed = new TreeSet<>();
        if (web != null) {
            for (Route route : web.getRoutes()) {
                if (path.equals(route.getPath()) && route.methods() != null) {
                    route.methods().forEach(m -> allowed.add(m.name()));
                }
            }
        }
        allowed.remove(method.name());
        if (allowed.isEmpty() && (method == HttpMethod.GET || method == HttpMethod.POST || method == HttpMethod.HEAD)) {
            return ApiException.notFound("unknown_endpoint", "Unknown endpoint " + method + " " + path, null);
        }
        Map<String, String> headers = allowed.isEmpty() ? Map.of() : Map.of("allow", String.join(", ", allowed));
        return new ApiException(405, "invalid_request_error", "method_not_allowed",
                "Method " + method + " is not allowed here" + (allowed.isEmpty() ? "" : "; use " + String.join(" or ", allowed)),
                null, Optional.empty(), headers);
    }

    /** {@link #unrouted(Router, HttpMethod, String)} on the application's router. */
    ApiException unrouted(HttpMethod method, String path) {
        return unrouted(router, method, path);
    }

    static ApiException unsupportedMediaType() {
        return new ApiException(415, "invalid_request_error", "unsupported_media_type",
                "Send the request body as JSON (Content-Type: application/json).", null, Optional.empty());
    }

    private static void write(RoutingContext ctx, ApiException e) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ApiErrors.write(ctx.response(), e);
    }
}
