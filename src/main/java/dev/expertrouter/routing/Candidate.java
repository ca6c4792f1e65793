package dev.expertrouter.routing;

/**
 * One expert as the policy saw it for one request.
 *
 * @param expert       expert id
 * @param score        the policy's utility; candidates are ranked by it
 * @param estQuality   expected quality of this expert's answer to this prompt, 0..1
 * @param estCostUsd   estimated cost of the call
 * @param estLatencyMs estimated latency of the call
 * @param eligible     whether the request may go to this expert
 * @param reason       why not, when ineligible, for people (null otherwise)
 * @param reasonCode   why not, when ineligible, for code (null otherwise)
 */
public record Candidate(
        String expert,
        double score,
        double estQuality,
        double estCostUsd,
        double estLatencyMs,
        boolean eligible,
        String reason,
        IneligibleReason reasonCode) {

    public Candidate {
        if (eligible) {
            reasonCode = null;
        } else if (reasonCode == null) {
            reasonCode = IneligibleReason.UNAVAILABLE;
        }
    }

    /** A candidate without a reason code (ineligible ones count as {@link IneligibleReason#UNAVAILABLE}). */
    public Candidate(String expert, double score, double estQuality, double estCostUsd, double estLatencyMs,
            boolean eligible, String reason) {
        this(expert, score, estQuality, estCostUsd, estLatencyMs, eligible, reason, null);
    }
}
