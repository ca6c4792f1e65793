package dev.expertrouter.api;

import dev.expertrouter.experts.ExpertCallException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * How an expert's failure reaches the client once fallbacks are exhausted: the expert's own 4xx
 * about the request keeps its status and message; everything else is a 502, 503 or 504.
 */
public final class UpstreamErrors {

    private static final Logger LOG = Logger.getLogger(UpstreamErrors.class);

    private UpstreamErrors() {
    }

    public static ApiException toApi(ExpertCallException e) {
        if (e.isCredentialError()) {
            LOG.warnf("expert %s refused the gateway's credentials (HTTP %d): check its api-key-env / headers-env", e.expert(), e.status());
            return ApiException.upstream(502, "upstream_error", "Expert '" + e.expert()
                    + "' refused the gateway's credentials for it; the gateway operator must fix its key.", Optional.empty());
        }
        // the expert's text is not ours: bounded, and stripped of anything like a key or a stack trace
        String message = ErrorText.clean(e.getMessage());
        if (e.isClientError()) {
            String code = e.status() == 413 ? "context_length_exceeded" : "expert_rejected_request";
            return new ApiException(e.status(), "invalid_request_error", code, message, null, Optional.empty());
        }
        return switch (e.code()) {
            case ExpertCallException.TIMEOUT -> ApiException.upstream(504, "upstream_timeout", message, Optional.empty());
            case ExpertCallException.CONNECT -> ApiException.upstream(503, "expert_unavailable",
                    "expert " + e.expert() + " could not be reached", Optional.of(1));
            case ExpertCallException.INVALID_RESPONSE -> ApiException.upstream(502, "upstream_invalid_response", message, Optional.empty());
            default -> e.status() == 503 || e.status() == 429
                    ? ApiException.upstream(503, "expert_unavailable", message, Optional.of(e.retryAfterSeconds().orElse(1)))
                    : e.status() == 504 || e.status() == 408
                            ? ApiException.upstream(504, "upstream_timeout", message, Optional.empty())
                            : ApiException.upstream(502, "upstream_error", message, Optional.empty());
        };
    }
}
