package dev.expertrouter.training.quality;

import java.util.Arrays;
import java.util.Comparator;

/**
 * How good probabilistic predictions of "good answer" are, all weighted by example weight:
 * log loss, AUC (probability a good answer is ranked above a bad one; ties count half), expected
 * calibration error over 10 equal-width bins, and accuracy at 0.5.
 */
public record QualityMetrics(int rows, double logLoss, double auc, double ece, double accuracy) {

    static final double EPS = 1e-6;

    public static QualityMetrics of(double[] p, boolean[] y, double[] w) {
        int n = p.length;
        double wSum = 0;
        double loss = 0;
        double hits = 0;
        for (int i = 0; i < n; i++) {
            double q = Math.min(1 - EPS, Math.max(EPS, p[i]));
            loss -= w[i] * (y[i] ? Math.log(q) : Math.log(1 - q));
            hits += w[i] * ((p[i] >= 0.5) == y[i] ? 1 : 0);
            wSum += w[i];
        }
        if (wSum == 0) {
            return new QualityMetrics(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new QualityMetrics(n, loss / wSum, auc(p, y, w), ece(p, y, w, wSum), hits / wSum);
    }

    static double auc(double[] p, boolean[] y, double[] w) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double negBelow = 0;
        double pos = 0;
        double neg = 0;
        double area = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            double tiePos = 0;
            double tieNeg = 0;
            while (j < order.length && p[order[j]] == p[order[i]]) {
                if (y[order[j]]) {
                    tiePos += w[order[j]];
                } else {
                    tieNeg += w[order[j]];
                }
                j++;
            }
            area += tiePos * (negBelow + tieNeg / 2);
            negBelow += tieNeg;
            pos += tiePos;
            neg += tieNeg;
            i = j;
        }
        return pos == 0 || neg == 0 ? 0.5 : area / (pos * neg);
    }

    static double ece(double[] p, boolean[] y, double[] w, double wSum) {
        int bins = 10;
        double[] conf = new double[bins];
        double[] acc = new double[bins];
        double[] weight = new double[bins];
        for (int i = 0; i < p.length; i++) {
            int b = Math.min(bins - 1, (int) (p[i] * bins));
            conf[b] += w[i] * p[i];
            acc[b] += w[i] * (y[i] ? 1 : 0);
            weight[b] += w[i];
        }
        double e = 0;
        for (int b = 0; b < bins; b++) {
            if (weight[b] > 0) {
                e += Math.abs(conf[b] - acc[b]);
            }
        }
        return e / wSum;
    }
}
