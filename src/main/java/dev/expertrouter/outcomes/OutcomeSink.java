package dev.expertrouter.outcomes;

/**
 * Where the request path hands each outcome. Implementations must not block the caller: the
 * request path calls this on the event loop.
 */
public interface OutcomeSink {

    void record(OutcomeRecord outcome);
}
