package dev.expertrouter.routing;

import java.util.Map;

/**
 * What the router made of a prompt.
 *
 * @param domain        the most probable domain, or {@code unknown} before any router model serves
 * @param confidence    calibrated probability of {@code domain}, 0..1
 * @param scores        probability per domain (sums to 1; empty when unknown)
 * @param routerVersion the router model version that decided, or {@code none}
 * @param embedding     the prompt embedding the decision came from (kept for retraining), or null
 * @param embedderId    the embedding model that produced {@code embedding}, or null without one
 */
public record Classification(
        String domain,
        double confidence,
        Map<String, Double> scores,
        String routerVersion,
        float[] embedding,
        String embedderId) {

    /** A classification whose embedding (if any) needs no embedder id, as in tests and simulations. */
    public Classification(String domain, double confidence, Map<String, Double> scores, String routerVersion, float[] embedding) {
        this(domain, confidence, scores, routerVersion, embedding, null);
    }

    public static final String UNKNOWN_DOMAIN = "unknown";
    public static final String NO_VERSION = "none";

    public static Classification unknown() {
        return new Classification(UNKNOWN_DOMAIN, 0, Map.of(), NO_VERSION, null);
    }

    public boolean isUnknown() {
        return UNKNOWN_DOMAIN.equals(domain);
    }
}
