package dev.expertrouter.training.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a trained predictor may serve, on held-out rated outcomes it never saw, against
 * the reference: the serving predictor, or the per-domain baseline when none serves. The candidate
 * must not be worse in log loss or AUC, must be calibrated (ECE), and must not turn more right
 * verdicts wrong than wrong ones right (negative flips: the reference judged good/bad correctly at
 * 0.5, the candidate does not), nor more than a bounded share of them against a serving predictor.
 */
public final class QualityGate {

    /** Tolerances; the defaults refuse a predictor trained on shuffled feedback. */
    public record Thresholds(int minHeldOut, double logLossTolerance, double aucTolerance, double maxEce,
            double maxNegativeFlipRate) {

        public static final Thresholds DEFAULTS = new Thresholds(50, 0.002, 0.005, 0.10, 0.10);
    }

    /** The verdict with its numbers, kept in the predictor's metadata. */
    public record Report(boolean passed, String reference, QualityMetrics candidate, QualityMetrics baseline,
            int negativeFlips, int positiveFlips, List<String> failures) {
    }

    private final Thresholds thresholds;

    public QualityGate(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /**
     * @param referenceIsServing true when the reference is a predictor in service (flip rate bounded),
     *                           false for the per-domain baseline
     */
    public Report check(QualityScorer candidate, QualityScorer reference, boolean referenceIsServing,
            List<QualityExample> heldOut, List<String> experts) {
        int n = heldOut.size();
        double[] pc = new double[n];
        double[] pr = new double[n];
        boolean[] y = new boolean[n];
        double[] w = new double[n];
        int negative = 0;
        int positive = 0;
        for (int i = 0; i < n; i++) {
            QualityExample x = heldOut.get(i);
            pc[i] = candidate.p(x, experts);
            pr[i] = reference.p(x, experts);
            y[i] = x.good();
            w[i] = x.weight();
            boolean candidateRight = (pc[i] >= 0.5) == y[i];
            boolean referenceRight = (pr[i] >= 0.5) == y[i];
            if (referenceRight && !candidateRight) {
                negative++;
            } else if (!referenceRight && candidateRight) {
                positive++;
            }
        }
        QualityMetrics c = QualityMetrics.of(pc, y, w);
        QualityMetrics r = QualityMetrics.of(pr, y, w);
        List<String> failures = new ArrayList<>();
        if (n < thresholds.minHeldOut()) {
            failures.add(n + " held-out rated outcomes, fewer than the " + thresholds.minHeldOut() + " needed to judge");
        } else {
            if (!(c.logLoss() <= r.logLoss() + thresholds.logLossTolerance())) {
                failures.add(fmt("log loss %.4f worse than the reference's %.4f", c.logLoss(), r.logLoss()));
            }
            if (!(c.auc() >= r.auc() - thresholds.aucTolerance())) {
                failures.add(fmt("AUC %.4f below the reference's %.4f", c.auc(), r.auc()));
            }
            if (!(c.ece() <= Math.max(thresholds.maxEce(), r.ece()))) {
                failures.add(fmt("calibration error (ECE) %.4f above %.4f", c.ece(), Math.max(thresholds.maxEce(), r.ece())));
            }
            if (negative > positive) {
                failures.add(negative + " negative flips outnumber " + positive + " positive ones");
            }
            if (referenceIsServing && negative > thresholds.maxNegativeFlipRate() * n) {
                failures.add(fmt("negative flips %.1f%% of held-out, above %.1f%%", 100.0 * negative / n,
                        100 * thresholds.maxNegativeFlipRate()));
            }
        }
        return new Report(failures.isEmpty(), referenceIsServing ? "serving-predictor" : "domain-baseline", c, r,
                negative, positive, List.copyOf(failures));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
