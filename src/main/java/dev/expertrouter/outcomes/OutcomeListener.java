package dev.expertrouter.outcomes;

/**
 * Learns from each outcome after the request is decided: every CDI bean implementing it is handed
 * each recorded outcome. Called on the event loop, so it must not block.
 */
public interface OutcomeListener {

    void onOutcome(OutcomeRecord outcome);
}
