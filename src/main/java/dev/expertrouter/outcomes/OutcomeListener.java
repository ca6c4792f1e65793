package dev.expertrouter.outcomes;

/**
 * Something that learns from or counts each finished request: metrics, the policy engine's
 * estimates, scorecards, shadow routing. Every CDI bean implementing it is called once per
 * outcome, after the outcome reached the {@link OutcomeSink}, on the request's event loop: it
 * must not block.
 */
public interface OutcomeListener {

    void onOutcome(OutcomeRecord outcome);
}
