package dev.expertrouter.outcomes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one request did, for metrics, audits and retraining. Holds no secret and no prompt text:
 * the prompt is kept as a hash (and its embedding, from which the router is retrained).
 *
 * @param requestId      the request id sent to the client and upstream
 * @param time           when the request arrived
 * @param tenant         tenant name (never its key)
 * @param policy         policy in force
 * @param routerVersion  router model version that decided, or {@code none}
 * @param domain         the router's domain, or {@code unknown}
 * @param confidence     the router's confidence in {@code domain}
 * @param scores         probability per domain
 * @param forced         whether the caller named the expert
 * @param expert         the expert that answered (or the last one tried)
 * @param candidates     eligible candidates in rank order
 * @param fallbacks      experts that failed before {@code expert}, each with its failure code
 * @param status         HTTP status the client got
 * @param errorCode      the client-facing error code, or null on success
 * @param upstreamStatus the answering expert's HTTP status, or 0 without an answer
 * @param stream         whether the answer was streamed
 * @param latencyMs      time until the client had the whole answer
 * @param promptTokens   input tokens (expert's count, else the estimate)
 * @param completionTokens output tokens
 * @param costUsd        cost from the expert's price and the tokens
 * @param savedUsd       cost of the policy's reference expert minus {@code costUsd} (counterfactual)
 * @param promptSha256   SHA-256 of the prompt text the router saw
 * @param embedding      the prompt embedding, or null when no router model served
 * @param embedderId     the embedding model that produced {@code embedding}, or null without one
 * @param upstreamLatencyMs time of the answering attempt alone (the expert's own latency), 0 without an answer
 * @param promptText     the prompt text, only where the tenant's policy allows storing it; else null
 * @param exploration    whether the expert was chosen to explore rather than as the policy's top choice
 * @param affinity       how conversation affinity decided ({@code kept}, {@code switched}, {@code new}), or null
 * @param costEstimated  whether {@code costUsd} is an estimate (a stream cut before the expert reported usage)
 * @param answerChecks   {@link dev.expertrouter.routing.quality.AnswerChecks} of the answer the client got (numbers
 *                       about the answer, no text), for a whole answer of an expert some policy's verify drafts
 *                       with, from a tenant whose outcomes are learned from; null otherwise. The answer verifiers
 *                       are trained on them.
 */
public record OutcomeRecord(
        String requestId,
        Instant time,
        String tenant,
        String policy,
        String routerVersion,
        String domain,
        double confidence,
        Map<String, Double> scores,
        boolean forced,
        String expert,
        List<String> candidates,
        List<Fallback> fallbacks,
        int status,
        String errorCode,
        int upstreamStatus,
        boolean stream,
        long latencyMs,
        long promptTokens,
        long completionTokens,
        double costUsd,
        double savedUsd,
        String promptSha256,
        float[] embedding,
        String embedderId,
        long upstreamLatencyMs,
        String promptText,
        boolean exploration,
        String affinity,
        boolean costEstimated,
        double[] answerChecks) {

    /** An outcome without answer checks (a streamed or failed answer, or a tenant not learned from). */
    public OutcomeRecord(String requestId, Instant time, String tenant, String policy, String routerVersion,
            String domain, double confidence, Map<String, Double> scores, boolean forced, String expert,
            List<String> candidates, List<Fallback> fallbacks, int status, String errorCode, int upstreamStatus,
            boolean stream, long latencyMs, long promptTokens, long completionTokens, double costUsd, double savedUsd,
            String promptSha256, float[] embedding, String embedderId, long upstreamLatencyMs, String promptText,
            boolean exploration, String affinity, boolean costEstimated) {
        this(requestId, time, tenant, policy, routerVersion, domain, confidence, scores, forced, expert, candidates,
                fallbacks, status, errorCode, upstreamStatus, stream, latencyMs, promptTokens, completionTokens, costUsd,
                savedUsd, promptSha256, embedding, embedderId, upstreamLatencyMs, promptText, exploration, affinity,
                costEstimated, null);
    }

    /** One expert given up on during a request. */
    public record Fallback(String expert, String code) {
    }

    public boolean succeeded() {
        return status < 400;
    }

    /**
     * This outcome with the router's view of its prompt: a forced request is classified for the
     * record only after its answer has left.
     */
    public OutcomeRecord withClassification(String routerVersion, String domain, double confidence,
            Map<String, Double> scores, float[] embedding, String embedderId) {
        return new OutcomeRecord(requestId, time, tenant, policy, routerVersion, domain, confidence, scores, forced,
                expert, candidates, fallbacks, status, errorCode, upstreamStatus, stream, latencyMs, promptTokens,
                completionTokens, costUsd, savedUsd, promptSha256, embedding, embedderId, upstreamLatencyMs, promptText,
                exploration, affinity, costEstimated, answerChecks);
    }

    /** This outcome without its prompt text (what is stored for a tenant that does not allow keeping it). */
    public OutcomeRecord withoutPromptText() {
        return new OutcomeRecord(requestId, time, tenant, policy, routerVersion, domain, confidence, scores, forced,
                expert, candidates, fallbacks, status, errorCode, upstreamStatus, stream, latencyMs, promptTokens,
                completionTokens, costUsd, savedUsd, promptSha256, embedding, embedderId, upstreamLatencyMs, null,
                exploration, affinity, costEstimated, answerChecks);
    }
}
