package dev.expertrouter.training;

/**
 * A labelled example that arrives already embedded: a served request whose feedback corrected
 * the router's domain. Its embedding is the one the serving embedder computed for the request, so
 * no text is needed (and none is kept).
 *
 * @param id        the request id (for logs and de-duplication)
 * @param embedding the prompt embedding from the outcome record
 * @param domain    the corrected domain: the label
 */
public record CorrectedExample(String id, float[] embedding, String domain) {

    public CorrectedExample {
        if (embedding == null || embedding.length == 0) {
            throw new IllegalArgumentException("corrected example " + id + " has no embedding");
        }
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("corrected example " + id + " has no domain");
        }
    }
}
