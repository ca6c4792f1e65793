package dev.expertrouter.outcomes;

import java.time.Instant;
import java.util.Optional;

/**
 * A rating of one answered request.
 *
 * @param requestId       the rated request
 * @param tenant          the tenant that rated it (the one whose request it was)
 * @param expert          the expert that answered
 * @param routedDomain    the domain the router gave the request
 * @param correctedDomain the domain the rater says the request really was, when it corrects the router
 * @param score           0..1
 * @param source          who rated it
 * @param time            when the rating arrived
 */
public record Feedback(
        String requestId,
        String tenant,
        String expert,
        String routedDomain,
        Optional<String> correctedDomain,
        double score,
        Source source,
        Instant time) {

    /** Who rated an answer: the caller's users, or the gateway's jury of judge experts (weighed less). */
    public enum Source {
        USER, JURY
    }
}
