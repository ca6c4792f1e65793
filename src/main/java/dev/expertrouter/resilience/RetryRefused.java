package dev.expertrouter.resilience;

import dev.expertrouter.experts.ExpertCallException;

/**
 * A retryable failure that must not be retried because the request's deadline leaves no room for
 * the backoff and another attempt; it still counts against the expert's circuit. Unwrapped before
 * it leaves the guard, so callers only ever see the {@link ExpertCallException}.
 */
final class RetryRefused extends RuntimeException {

    private final ExpertCallException failure;

    RetryRefused(ExpertCallException failure) {
        super(failure.getMessage(), failure, false, false);
        this.failure = failure;
    }

    ExpertCallException failure() {
        return failure;
    }
}
