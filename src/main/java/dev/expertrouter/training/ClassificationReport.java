package dev.expertrouter.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores of a classifier on one labelled set: accuracy, per-domain precision/recall/F1, their
 * macro averages, expected calibration error (15 equal-width confidence bins) and the confusion
 * matrix ({@code confusion[true][predicted]}).
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
        int[][] confusion) {

    public static final int ECE_BINS = 15;

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
        double[] binConfidence = new double[ECE_BINS];
        double[] binCorrect = new double[ECE_BINS];
        int[] binCount = new int[ECE_BINS];
        double nll = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double[] p = probabilities[i];
            int predicted = argmax(p);
            confusion[truth[i]][predicted]++;
            boolean hit = predicted == truth[i];
            if (hit) {
                correct++;
            }
            int bin = Math.min(ECE_BINS - 1, (int) (p[predicted] * ECE_BINS));
            binConfidence[bin] += p[predicted];
            binCorrect[bin] += hit ? 1 : 0;
            binCount[bin]++;
            nll -= Math.log(Math.max(1e-12, p[truth[i]]));
        }
        double ece = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            if (binCount[b] > 0) {
                ece += Math.abs(binConfidence[b] - binCorrect[b]) / n;
            }
        }
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
        return new ClassificationReport(List.copyOf(labels), n, n == 0 ? 0 : (double) correct / n,
                present == 0 ? 0 : recallSum / present, present == 0 ? 0 : f1Sum / present, ece,
                n == 0 ? 0 : nll / n, perDomain, confusion);
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
