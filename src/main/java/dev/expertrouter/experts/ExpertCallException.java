package dev.expertrouter.experts;

import java.util.Optional;

/**
 * One failed call to an expert. {@code status} is the expert's HTTP status, or 0 when there was no
 * answer (connect error, reset, timeout); {@code code} is a short reason for logs, metrics and the
 * client's error.
 */
public final class ExpertCallException extends RuntimeException {

    public static final String TIMEOUT = "upstream_timeout";
    public static final String CONNECT = "upstream_unreachable";
    public static final String INVALID_RESPONSE = "upstream_invalid_response";
    public static final String ERROR_STATUS = "upstream_error_status";
    public static final String STREAM_INTERRUPTED = "stream_interrupted";

    private final String expert;
    private final int status;
    private final String code;
    private final Optional<Integer> retryAfterSeconds;

    public ExpertCallException(String expert, int status, String code, String message, Optional<Integer> retryAfterSeconds) {
        super(message, null, false, false);
        this.expert = expert;
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String expert() {
        return expert;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Optional<Integer> retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * Whether another attempt may succeed: no answer at all, 408, 429 and the gateway-ish 5xx.
     * The expert's judgement of the request itself (400, 401, 403, 404, 413, 422) is final.
     */
    public boolean isRetryable() {
        return status == 0 || status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /**
     * An expert's own 4xx about the request, which the client should see as it is. Not 401/403:
     * those judge the gateway's own credentials for the expert, an operator's fault.
     */
    public boolean isClientError() {
        return status >= 400 && status < 500 && status != 408 && status != 429 && !isCredentialError();
    }

    /** The expert refused the gateway's key for it (401/403): the operator must fix the config. */
    public boolean isCredentialError() {
        return status == 401 || status == 403;
    }
}
