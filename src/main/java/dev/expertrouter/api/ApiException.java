package dev.expertrouter.api;

import java.util.Map;
import java.util.Optional;

/**
 * A failure the client sees, in the OpenAI error shape: HTTP status, {@code type}, a short
 * snake_case {@code code}, a message fit for a person and, where one field is at fault, {@code param}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Optional<Integer> retryAfterSeconds;
    private final Map<String, String> headers;

    public ApiException(int status, String type, String code, String message, String param,
            Optional<Integer> retryAfterSeconds) {
        this(status, type, code, message, param, retryAfterSeconds, Map.of());
    }

    /** With response headers of its own, such as the {@code x-ratelimit-*} headers of a 429. */
    public ApiException(int status, String type, String code, String message, String param,
            Optional<Integer> retryAfterSeconds, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String code, String message, String param) {
        return new ApiException(400, "invalid_request_error", code, message, param, Optional.empty());
    }

    public static ApiException notFound(String code, String message, String param) {
        return new ApiException(404, "invalid_request_error", code, message, param, Optional.empty());
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "authentication_error", "invalid_api_key", message, null, Optional.empty());
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(403, "permission_error", code, message, null, Optional.empty());
    }

    public static ApiException unprocessable(String code, String message, String param) {
        return new ApiException(422, "invalid_request_error", code, message, param, Optional.empty());
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "invalid_request_error", "body_too_large", message, null, Optional.empty());
    }

    public static ApiException upstream(int status, String code, String message, Optional<Integer> retryAfter) {
        return new ApiException(status, "upstream_error", code, message, null, retryAfter);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public Optional<Integer> retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Headers the error response carries besides content type and {@code retry-after}. */
    public Map<String, String> headers() {
        return headers;
    }
}
