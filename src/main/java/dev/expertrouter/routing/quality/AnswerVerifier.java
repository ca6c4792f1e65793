package dev.expertrouter.routing.quality;

import java.util.Arrays;
import java.util.List;

/**
 * The probability that one expert's answer is good, read from the answer itself: logistic
 * regression over {@link AnswerChecks}. Where the {@link QualityPredictor} judges a prompt before
 * any expert is asked, this judges an answer once it is there, so a cheap expert can answer first
 * and a doubtful answer be escalated to a stronger one (a verify-then-escalate cascade, a policy's
 * {@code verify} block). Trained and gated per expert by the retrain
 * ({@code training.quality.VerifierRelease}), stored in {@link AnswerVerifierFiles}.
 *
 * @param expert   the expert whose answers it was trained on
 * @param features {@link AnswerChecks#FEATURES} at training time, in weight order
 * @param weights  one per feature
 * @param bias     the intercept
 * @param trainedOn rated answers it learned from
 */
public record AnswerVerifier(String expert, List<String> features, double[] weights, double bias, int trainedOn) {

    public AnswerVerifier {
        if (expert == null || expert.isBlank()) {
            throw new IllegalArgumentException("an answer verifier needs the expert it judges");
        }
        features = List.copyOf(features);
        if (!features.equals(AnswerChecks.FEATURES)) {
            throw new IllegalArgumentException("answer verifier for " + expert + " has features " + features
                    + ", this build computes " + AnswerChecks.FEATURES);
        }
        if (weights.length != features.size() || Arrays.stream(weights).anyMatch(w -> !Double.isFinite(w))
                || !Double.isFinite(bias)) {
            throw new IllegalArgumentException("answer verifier for " + expert + " needs " + features.size()
                    + " finite weights and a finite bias");
        }
        weights = weights.clone();
    }

    /** A copy: the verifier's weights cannot be changed from outside. */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** P(good) of {@code answer} to {@code prompt}. */
    public double probabilityGood(String prompt, String answer) {
        return probability(AnswerChecks.of(prompt, answer));
    }

    /** P(good) for features computed by {@link AnswerChecks#of}. */
    public double probability(double[] x) {
        if (x.length != weights.length) {
            throw new IllegalArgumentException("answer verifier for " + expert + " needs " + weights.length
                    + " features, was given " + x.length);
        }
        double z = bias;
        for (int i = 0; i < weights.length; i++) {
            z += weights[i] * x[i];
        }
        return 1 / (1 + Math.exp(-z));
    }
}
