package dev.expertrouter.outcomes;

import java.time.Instant;
import java.util.List;

/**
 * The recorded outcomes, read back for retraining the router and the quality predictor. The
 * Redis stream {@code router:outcomes} is the production implementation; tests may use a list.
 */
public interface OutcomeHistory {

    /**
     * Outcomes recorded at or after {@code since}, oldest first, each joined with its feedback
     * where there is one; at most {@code limit} of them.
     */
    List<RatedOutcome> read(Instant since, int limit);
}
