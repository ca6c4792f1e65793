package dev.expertrouter.api;

import io.vertx.core.http.HttpMethod;
import jakarta.inject.Singleton;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The OpenAI error shape for the Quarkus REST resources ({@code /admin/*}), as the Vert.x routes
 * answer: an {@link ApiException} with its status and headers, and the framework's own refusals
 * (a method the resource does not take, a body type it does not read, a path nothing serves).
 */
@Singleton
public class RestErrors {

    private final HttpErrors http;

    public RestErrors(HttpErrors http) {
        this.http = http;
    }

    @ServerExceptionMapper
    public Response apiError(ApiException e) {
        return response(e);
    }

    @ServerExceptionMapper
    public Response methodNotAllowed(NotAllowedException e) {
        String allow = e.getResponse().getHeaderString("Allow");
        return response(new ApiException(405, "invalid_request_error", "method_not_allowed",
                "This method is not allowed here" + (allow == null || allow.isBlank() ? "" : "; use " + allow.replace(",", " or")),
                null, Optional.empty(), allow == null || allow.isBlank() ? Map.of() : Map.of("allow", allow)));
    }

    /** No resource took the path: a Vert.x route may take it with another method (405), else 404, in the OpenAI shape. */
    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri, Request request) {
        return response(http.unrouted(HttpMethod.valueOf(request.getMethod()), "/" + uri.getPath().replaceFirst("^/", "")));
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return response(HttpErrors.unsupportedMediaType());
    }

    /** The response for {@code e}: its status, {@code Retry-After} and own headers, the OpenAI body. */
    public static Response response(ApiException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(ApiErrors.body(e).toString());
        e.retryAfterSeconds().ifPresent(s -> r.header("retry-after", Integer.toString(s)));
        e.headers().forEach(r::header);
        return r.build();
    }
}
