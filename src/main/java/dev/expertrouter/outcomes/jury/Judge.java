package dev.expertrouter.outcomes.jury;

import java.util.Optional;

/** One member of the jury: a cheap expert asked to rate an answer to a prompt. */
public interface Judge {

    String id();

    /**
     * @return the judge's score in 0..1 and what asking cost, or empty when the judge failed (it
     *         then simply does not vote)
     */
    Optional<Verdict> judge(String prompt, String answer);

    /** A judge's rating and the cost of obtaining it. */
    record Verdict(double score, double costUsd) {
        public Verdict {
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("score must be in 0..1, got " + score);
            }
        }
    }
}
