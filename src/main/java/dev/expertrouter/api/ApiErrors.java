package dev.expertrouter.api;

import dev.expertrouter.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

/** Writes {@link ApiException}s, and anything unexpected, in the OpenAI error shape. */
public final class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);
    private static final ObjectMapper JSON = Json.MAPPER;

    private ApiErrors() {
    }

    /** The error body: {@code {"error": {"message", "type", "code", "param"}}}. */
    public static ObjectNode body(ApiException e) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.put("code", e.code());
        if (e.param() != null) {
            error.put("param", e.param());
        } else {
            error.putNull("param");
        }
        return root;
    }

    /** Maps anything thrown on the request path to the client's view of it; never a stack trace. */
    public static ApiException toApi(Throwable t) {
        Throwable cause = t;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiException api) {
            return api;
        }
        LOG.errorf(cause, "unexpected failure on the request path");
        return new ApiException(500, "server_error", "internal_error", "internal error", null, java.util.Optional.empty());
    }

    public static void write(HttpServerResponse response, Throwable failure) {
        ApiException e = toApi(failure);
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.end();
            return;
        }
        response.setStatusCode(e.status());
        response.putHeader("content-type", "application/json");
        e.retryAfterSeconds().ifPresent(s -> response.putHeader("retry-after", Integer.toString(s)));
        e.headers().forEach(response::putHeader);
        response.end(body(e).toString());
    }
}
