package dev.expertrouter.routing;

/**
 * A turn as the router saw it.
 *
 * @param routed    the classification of the routed text (what the policy ranks on)
 * @param turnAlone the last user turn's classification for conversation affinity: read inside the
 *                  routed text's pass or embedded on its own (the policy's {@code topic-check}); the
 *                  same object as {@code routed} when that is the same text or affinity does not need it
 */
public record TurnClassification(Classification routed, Classification turnAlone) {
}
