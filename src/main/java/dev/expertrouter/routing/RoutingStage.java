package dev.expertrouter.routing;

import java.util.Locale;

/** The steps of one routing decision, timed separately so an operator sees which one costs. */
public enum RoutingStage {
    /** choosing the text to embed from the conversation */
    SELECT,
    /** the sentence embedding (MiniLM), or its cache */
    EMBED,
    /** the classifier heads and the neighbour vote */
    CLASSIFY,
    /** the policy engine ranking the experts */
    RANK;

    /** The metric tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
