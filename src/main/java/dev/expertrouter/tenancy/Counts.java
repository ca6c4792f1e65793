package dev.expertrouter.tenancy;

/**
 * What a limit store answered to an admission: whether it counted the request, and the state of
 * each window and budget (the figures the rate-limit headers and the cost cap are made of).
 *
 * @param code              {@link LimitScripts#OK} or the first limit that refused
 * @param requestsUsed      requests in the window, this one included when admitted
 * @param requestsResetMs   ms until the requests window is empty again
 * @param requestsRetryMs   ms until one more request fits (when refused)
 * @param tokensUsed        tokens in the window
 * @param tokensResetMs     ms until the tokens window is empty again
 * @param tokensRetryMs     ms until the tokens asked for fit (when refused)
 * @param daySpentNanoUsd   spend counted today (UTC), nano-USD
 * @param monthSpentNanoUsd spend counted this month (UTC), nano-USD
 */
record Counts(int code, long requestsUsed, long requestsResetMs, long requestsRetryMs, long tokensUsed, long tokensResetMs,
        long tokensRetryMs, long daySpentNanoUsd, long monthSpentNanoUsd) {

    static Counts of(long[] v) {
        if (v.length != 9) {
            throw new IllegalArgumentException("admission answer has " + v.length + " values, expected 9");
        }
        return new Counts((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }
}
