package dev.expertrouter.routing.affinity;

import java.util.Locale;

/** How conversation affinity decided one turn; the value of {@code x-router-affinity}. */
public enum AffinityOutcome {
    /** nothing remembered (a first turn, or forgotten): the policy's own choice */
    NEW,
    /** the conversation stayed with the expert that answered its previous turn */
    KEPT,
    /** the conversation was let go (confident topic change, or its expert no longer eligible): the policy's choice */
    SWITCHED;

    /** {@code new}, {@code kept}, {@code switched}: headers, JSON, outcomes and metric tags. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
