package dev.expertrouter.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores of a classifier on one labelled set: accuracy, per-domain precision/recall/F1, their
 * macro averages, expected calibration error (15 equal-width confidence bins) and the confusion
 * matrix ({@code confusion[true][predicted]}), with 95 % bootstrap intervals for macro recall and
 * ECE: a few hundred questions, with 12 of them in the smallest domain, leave several points of
 * sampling noise, and the intervals say how many.
 */
public record ClassificationReport(
        List<String> labels,
        int count,
        double accuracy,
        double macroRecall,
        double macroF1,
        double ece,
        double negativeLogLikelihood,
        Map<String, DomainScore> perDomain,
        int[][] confusion,
        Interval macroRecall95,
        Interval ece95) {

    public static final int ECE_BINS = 15;
    /** Resamples of the stratified bootstrap behind the intervals (seeded, so reports reproduce). */
    public static final int BOOTSTRAP_RESAMPLES = 2000;

    /** A two-sided 95 % percentile interval. */
    public record Interval(double low, double high) {
    }

    public record DomainScore(double precision, double recall, double f1, int support) {
    }

    /**
     * @param truth         true label index per example
     * @param probabilities probability vector per example (same order)
     */
    public static ClassificationReport of(List<String> labels, int[] truth, double[][] probabilities) {
        int k = labels.size();
        int n = truth.length;
        int[][] confusion = new int[k][k];
        double nll = 0;
        int correct = 0;
        double[] confidence = new double[n];
        boolean[] hits = new boolean[n];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            double[] p = probabilities[i];
            int predicted = argmax(p);
            confidence[i] = p[predicted];
            hits[i] = predicted == truth[i];
            all[i] = i;
            confusion[truth[i]][predicted]++;
            if (hits[i]) {
                correct++;
            }
            nll -= Math.log(Math.max(1e-12, p[truth[i]]));
        }
        double ece = ece(confidence, hits, all);
        Map<String, DomainScore> perDomain = new LinkedHashMap<>();
        double recallSum = 0;
        double f1Sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            int support = 0;
            int predictedAs = 0;
            for (int j = 0; j < k; j++) {
                support += confusion[c][j];
                predictedAs += confusion[j][c];
            }
            double precision = predictedAs == 0 ? 0 : (double) tp / predictedAs;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perDomain.put(labels.get(c), new DomainScore(precision, recall, f1, support));
            if (support > 0) {
                recallSum += recall;
                f1Sum += f1;
                present++;
            }
        }
        Interval[] intervals = bootstrap(k, truth, confidence, hits);
        return new ClassificationReport(List.copyOf(labels), n, n == 0 ? 0 : (double) correct / n,
                present == 0 ? 0 : recallSum / present, present == 0 ? 0 : f1Sum / present, ece,
                n == 0 ? 0 : nll / n, perDomain, confusion, intervals[0], intervals[1]);
    }

    /**
     * Resamples each true domain's examples with replacement (the split fixes each domain's size,
     * so the resamples keep it) and takes the 2.5th and 97.5th percentiles of macro recall and ECE.
     */
    private static Interval[] bootstrap(int k, int[] truth, double[] confidence, boolean[] hits) {
        int n = truth.length;
        if (n == 0) {
            return new Interval[] {new Interval(0, 0), new Interval(0, 0)};
        }
        int[][] byDomain = new int[k][];
        int[] sizes = new int[k];
        for (int t : truth) {
            sizes[t]++;
        }
        for (int d = 0; d < k; d++) {
            byDomain[d] = new int[sizes[d]];
        }
        int[] filled = new int[k];
        for (int i = 0; i < n; i++) {
            byDomain[truth[i]][filled[truth[i]]++] = i;
        }
        java.util.Random random = new java.util.Random(20261129L);
        double[] macro = new double[BOOTSTRAP_RESAMPLES];
        double[] ece = new double[BOOTSTRAP_RESAMPLES];
        int[] sample = new int[n];
        for (int r = 0; r < BOOTSTRAP_RESAMPLES; r++) {
            double recallSum = 0;
            int present = 0;
            int next = 0;
            for (int d = 0; d < k; d++) {
                int[] rows = byDomain[d];
                if (rows.length == 0) {
                    continue;
                }
                int tp = 0;
                for (int j = 0; j < rows.length; j++) {
                    int i = rows[random.nextInt(rows.length)];
                    sample[next++] = i;
                    if (hits[i]) {
                        tp++;
                    }
                }
                recallSum += (double) tp / rows.length;
                present++;
            }
            macro[r] = recallSum / present;
            ece[r] = ece(confidence, hits, sample);
        }
        return new Interval[] {percentiles(macro), percentiles(ece)};
    }

    /** Expected calibration error of the given rows: 15 equal-width bins of top-1 confidence. */
    private static double ece(double[] confidence, boolean[] hits, int[] rows) {
        double[] binConfidence = new double[ECE_BINS];
        double[] binCorrect = new double[ECE_BINS];
        for (int i : rows) {
            int bin = Math.min(ECE_BINS - 1, (int) (confidence[i] * ECE_BINS));
            binConfidence[bin] += confidence[i];
            binCorrect[bin] += hits[i] ? 1 : 0;
        }
        double ece = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            ece += Math.abs(binConfidence[b] - binCorrect[b]);
        }
        return rows.length == 0 ? 0 : ece / rows.length;
    }

    private static Interval percentiles(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int low = (int) Math.floor(0.025 * (sorted.length - 1));
        int high = (int) Math.ceil(0.975 * (sorted.length - 1));
        return new Interval(sorted[low], sorted[high]);
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** A fixed-width table for the training command's final output. */
    public String table(String title) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s (n=%d)%n", title, count));
        out.append(String.format(Locale.ROOT, "  %-12s %9s %7s %7s %7s%n", "domain", "precision", "recall", "f1", "support"));
        perDomain.forEach((domain, s) -> out.append(String.format(Locale.ROOT, "  %-12s %9.3f %7.3f %7.3f %7d%n",
                domain, s.precision(), s.recall(), s.f1(), s.support())));
        out.append(String.format(Locale.ROOT,
                "  accuracy %.4f  macro-recall %.4f  macro-F1 %.4f  ECE %.4f  NLL %.4f%n",
                accuracy, macroRecall, macroF1, ece, negativeLogLikelihood));
        out.append(String.format(Locale.ROOT, "  95%% bootstrap intervals: macro-recall [%.3f, %.3f]  ECE [%.3f, %.3f]%n",
                macroRecall95.low(), macroRecall95.high(), ece95.low(), ece95.high()));
        out.append("  confusion (rows = true, columns = predicted):\n");
        out.append(String.format(Locale.ROOT, "  %-12s", ""));
        for (String label : labels) {
            out.append(String.format(Locale.ROOT, " %6.6s", label));
        }
        out.append('\n');
        for (int i = 0; i < labels.size(); i++) {
            out.append(String.format(Locale.ROOT, "  %-12s", labels.get(i)));
            for (int j = 0; j < labels.size(); j++) {
                out.append(String.format(Locale.ROOT, " %6d", confusion[i][j]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
