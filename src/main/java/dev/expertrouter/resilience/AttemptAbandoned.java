package dev.expertrouter.resilience;

import dev.expertrouter.experts.ExpertCallException;

/**
 * An attempt that never reached the expert, or was given up by the caller: the request's deadline
 * had passed, or the client went away. Neither retried nor held against the expert's circuit.
 */
final class AttemptAbandoned extends RuntimeException {

    private final ExpertCallException failure;

    AttemptAbandoned(ExpertCallException failure) {
        super(failure.getMessage(), failure, false, false);
        this.failure = failure;
    }

    ExpertCallException failure() {
        return failure;
    }
}
