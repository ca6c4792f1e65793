package dev.expertrouter.api;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Requests the HTTP codec could not read (a head over {@code quarkus.http.limits.max-header-size},
 * a request line over {@code max-initial-line-length}, bytes a header may not hold, conflicting
 * lengths), answered in the OpenAI error shape instead of Vert.x' empty status. Vert.x closes the
 * connection after the answer: what follows the bad head cannot be trusted.
 * {@link ConnectionGuard} installs it on every connection.
 */
public final class CodecRejections {

    private static final Logger LOG = Logger.getLogger(CodecRejections.class);

    private CodecRejections() {
    }

    /** The answer to a request whose head failed to decode. */
    static void answer(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        ApiException e = toApi(cause);
        LOG.debugf("refused an unreadable request head: %d %s", e.status(), e.code());
        request.response().putHeader("connection", "close");
        ApiErrors.write(request.response(), e);
    }

    static ApiException toApi(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return new ApiException(431, "invalid_request_error", "headers_too_large",
                    "Request headers are too large.", null, Optional.empty());
        }
        if (cause instanceof TooLongHttpLineException) {
            return new ApiException(414, "invalid_request_error", "uri_too_long",
                    "The request line (method, path and query) is too long.", null, Optional.empty());
        }
        return ApiException.badRequest("invalid_request",
                "The request could not be read: malformed request line or headers.", null);
    }
}
