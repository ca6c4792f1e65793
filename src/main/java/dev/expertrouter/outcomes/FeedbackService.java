package dev.expertrouter.outcomes;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.routing.Classification;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Feedback on an answered request ({@code POST /v1/feedback} without the HTTP): joins the outcome
 * from Redis (so any replica, also after a restart, finds it), else from this instance's outcomes
 * still on their way to Redis; stores the feedback once per request across all replicas (the first
 * writer wins atomically) with its retention, and applies it to this instance's estimates. Other
 * replicas apply it from the {@code router:feedback} stream ({@link ExpertStatsFeed}).
 *
 * <p>Without Redis the feedback is refused ({@link Refusal#STORE_UNAVAILABLE}, a 503 with
 * Retry-After) rather than kept locally: a local copy could not honour "one feedback per request"
 * across replicas, and the outcome it rates is safe in the spool, so a retry after Redis returns
 * loses nothing. Blocking: call it off the event loop.
 */
public final class FeedbackService {

    private static final Logger LOG = Logger.getLogger("dev.expertrouter.outcomes");

    /** Why a feedback was not taken. */
    public enum Refusal {
        UNKNOWN_REQUEST, NO_ANSWER, ALREADY_RATED, STORE_UNAVAILABLE
    }

    /** A feedback not taken, with the reason the endpoint maps to a status. */
    public static final class Refused extends RuntimeException {
        private final Refusal reason;

        Refused(Refusal reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Refusal reason() {
            return reason;
        }
    }

    /** A stored feedback, and whether it moved this instance's estimates. */
    /** An accepted rating; {@code costUsd} is what the rated answer cost, for the scorecards. */
    public record Accepted(Feedback feedback, boolean learned, double costUsd) {
    }

    private final OutcomeStore store;
    private final Function<String, Optional<OutcomeStore.OutcomeIndex>> pendingOutcomes;
    private final FeedbackLearning learning;
    private final Duration retention;
    private final GatewayClock clock;
    private final String origin;

    /**
     * @param pendingOutcomes this instance's recent outcomes, which may not have reached Redis yet
     * @param origin          this instance's id, so its own stream entries are not applied twice
     */
    public FeedbackService(OutcomeStore store, Function<String, Optional<OutcomeStore.OutcomeIndex>> pendingOutcomes,
            FeedbackLearning learning, Duration retention, GatewayClock clock, String origin) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("feedback retention must be positive, got " + retention);
        }
        this.store = store;
        this.pendingOutcomes = pendingOutcomes;
        this.learning = learning;
        this.retention = retention;
        this.clock = clock;
        this.origin = origin;
    }

    /**
     * @param correction the domain the caller says the prompt was, when it corrects the router
     * @throws Refused when the request is unknown to this tenant, got no answer, has feedback already,
     *                 or Redis cannot store it now
     */
    public Accepted submit(String tenant, String requestId, double score, Optional<String> correction) {
        OutcomeStore.OutcomeIndex outcome = find(requestId)
                .filter(o -> tenant.equals(o.tenant()))
                .orElseThrow(() -> new Refused(Refusal.UNKNOWN_REQUEST, "No recent request with id '" + requestId + "' for this key."));
        if (!outcome.answered()) {
            throw new Refused(Refusal.NO_ANSWER, "Request '" + requestId + "' got no answer to rate.");
        }
        // a forced request whose classification for the record was dropped has no domain: stored as unknown
        String routedDomain = outcome.domain() == null ? Classification.UNKNOWN_DOMAIN : outcome.domain();
        Feedback f = new Feedback(requestId, tenant, outcome.expert(), routedDomain, correction, score,
                Feedback.Source.USER, clock.now());
        Optional<String> streamId;
        try {
            streamId = store.addFeedback(f, origin, retention, f.time());
        } catch (OutcomeStore.Unavailable e) {
            throw unavailable(e);
        }
        if (streamId.isEmpty()) {
            throw new Refused(Refusal.ALREADY_RATED, "Request '" + requestId + "' already has feedback.");
        }
        boolean learned = learning.learn(f);
        LOG.infof("feedback request_id=%s tenant=%s expert=%s routed_domain=%s corrected_domain=%s score=%.3f learned=%s",
                requestId, tenant, f.expert(), f.routedDomain(), correction.orElse("-"), score, learned);
        return new Accepted(f, learned, outcome.costUsd());
    }

    private Optional<OutcomeStore.OutcomeIndex> find(String requestId) {
        Optional<OutcomeStore.OutcomeIndex> stored;
        try {
            stored = store.outcomeIndex(requestId);
        } catch (OutcomeStore.Unavailable e) {
            throw unavailable(e);
        }
        if (stored.isPresent()) {
            return stored;
        }
        // answered here a moment ago: still queued or spooled on its way to Redis
        return pendingOutcomes.apply(requestId);
    }

    private static Refused unavailable(OutcomeStore.Unavailable e) {
        LOG.warnf("feedback refused: Redis is unavailable (%s); the client may retry", e.getMessage());
        return new Refused(Refusal.STORE_UNAVAILABLE, "Feedback cannot be stored right now; retry shortly.");
    }
}
