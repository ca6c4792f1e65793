package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.RouterModel;

/**
 * Multinomial logistic regression by full-batch gradient descent with Adam and L2, domains
 * weighted to balance (the cascade's first-stage head). Small enough for plain Java: a few
 * thousand rows x 384 features x 8 domains.
 */
final class SoftmaxRegression {

    private SoftmaxRegression() {
    }

    /** Weights {@code k x (d + 1)} row-major, the bias last; rows with a null vector are skipped. */
    static float[] fit(float[][] x, int[] y, int k, double l2, int iterations, long seed) {
        int d = 0;
        for (float[] row : x) {
            if (row != null) {
                d = row.length;
                break;
            }
        }
        int stride = d + 1;
        double[] w = new double[k * stride];
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        double[] classWeight = new double[k];
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            if (x[i] != null) {
                classWeight[y[i]]++;
                n++;
            }
        }
        for (int c = 0; c < k; c++) {
            classWeight[c] = classWeight[c] == 0 ? 0 : (double) n / (k * classWeight[c]);
        }
        double lr = 0.05;
        double[] grad = new double[w.length];
        double[] logits = new double[k];
        for (int it = 1; it <= iterations; it++) {
            java.util.Arrays.fill(grad, 0);
            for (int i = 0; i < x.length; i++) {
                float[] row = x[i];
                if (row == null) {
                    continue;
                }
                for (int c = 0; c < k; c++) {
                    double s = w[c * stride + d];
                    for (int j = 0; j < d; j++) {
                        s += w[c * stride + j] * row[j];
                    }
                    logits[c] = s;
                }
                double[] p = RouterModel.softmax(logits, 1);
                double cw = classWeight[y[i]];
                for (int c = 0; c < k; c++) {
                    double g = cw * (p[c] - (c == y[i] ? 1 : 0)) / n;
                    for (int j = 0; j < d; j++) {
                        grad[c * stride + j] += g * row[j];
                    }
                    grad[c * stride + d] += g;
                }
            }
            for (int q = 0; q < w.length; q++) {
                double g = grad[q] + (q % stride == d ? 0 : l2 * w[q]);
                m[q] = 0.9 * m[q] + 0.1 * g;
                v[q] = 0.999 * v[q] + 0.001 * g * g;
                double mh = m[q] / (1 - Math.pow(0.9, it));
                double vh = v[q] / (1 - Math.pow(0.999, it));
                w[q] -= lr * mh / (Math.sqrt(vh) + 1e-8);
            }
        }
        float[] out = new float[w.length];
        for (int q = 0; q < w.length; q++) {
            out[q] = (float) w[q];
        }
        return out;
    }

    /** The temperature minimising the held-out rows' negative log-likelihood (golden section). */
    static double temperature(float[] head, float[][] x, int[] y, int k) {
        int rows = 0;
        for (float[] r : x) {
            rows += r == null ? 0 : 1;
        }
        double[][] logits = new double[rows][];
        int[] truth = new int[rows];
        int[] identity = new int[k];
        int at = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null) {
                continue;
            }
            int d = x[i].length;
            double[] l = new double[k];
            for (int c = 0; c < k; c++) {
                double s = head[c * (d + 1) + d];
                for (int j = 0; j < d; j++) {
                    s += head[c * (d + 1) + j] * x[i][j];
                }
                l[c] = s;
            }
            logits[at] = l;
            truth[at++] = y[i];
        }
        for (int c = 0; c < k; c++) {
            identity[c] = c;
        }
        return TemperatureScaling.fit(logits, truth, identity, k);
    }
}
