package dev.expertrouter.routing.affinity;

import dev.expertrouter.routing.Classification;

/**
 * A turn as the router saw it.
 *
 * @param routed    the classification of the routed text (what the policy ranks on)
 * @param turnAlone the last user turn's classification on its own; the same object as {@code routed}
 *                  when that is the same text or affinity does not need it
 */
public record TurnClassification(Classification routed, Classification turnAlone) {
}
