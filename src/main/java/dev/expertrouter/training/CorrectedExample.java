package dev.expertrouter.training;

/**
 * A labelled example that arrives already embedded: a served request whose feedback corrected
 * the router's domain. Its embedding is the one the serving embedder computed for the request, so
 * no text is needed (and none is kept).
 *
 * @param id        the request id (for logs and de-duplication)
 * @param embedding the prompt embedding from the outcome record
 * @param domain    the corrected domain: the label
 * @param trust     the trust (0..1] of the tenant whose correction it is: scales its weight
 */
public record CorrectedExample(String id, float[] embedding, String domain, double trust) {

    /** A correction from a fully trusted source. */
    public CorrectedExample(String id, float[] embedding, String domain) {
        this(id, embedding, domain, 1.0);
    }

    public CorrectedExample {
        if (!(trust > 0 && trust <= 1)) {
            throw new IllegalArgumentException("corrected example " + id + " has trust " + trust + ", not in (0, 1]");
        }
        if (embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("corrected example " + id + " has no embedding");
        }
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("corrected example " + id + " has no domain");
        }
    }

    /**
     * How many rows it counts for when a fully trusted correction counts {@code copies}: scaled by
     * trust, rounded, at least one (a trust of 0 never gets this far).
     */
    public int copies(int copies) {
        return (int) Math.max(1, Math.round(copies * trust));
    }
}
