package dev.expertrouter.training.quality;

import dev.expertrouter.routing.quality.AnswerChecks;
import dev.expertrouter.routing.quality.AnswerVerifier;

/**
 * Fits an {@link AnswerVerifier} to rated answers of one expert: L2-regularised logistic regression
 * solved by Newton's method (iteratively reweighted least squares), so the same answers always give
 * the same weights, with no learning rate to tune. Seventeen features and a few thousand answers
 * take milliseconds.
 */
public final class AnswerVerifierTrainer {

    private static final int MAX_ITERATIONS = 50;

    private final double l2;

    /** @param l2 ridge penalty on the weights (not the bias), per example; 1e-3 is a fair default */
    public AnswerVerifierTrainer(double l2) {
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be a finite number >= 0, was " + l2);
        }
        this.l2 = l2;
    }

    /**
     * @param x    {@link AnswerChecks#of} per answer
     * @param good whether each answer was rated good
     * @param w    each answer's weight (user feedback 1, the jury's less)
     */
    public AnswerVerifier fit(String expert, double[][] x, boolean[] good, double[] w) {
        int n = x.length;
        if (n == 0 || good.length != n || w.length != n) {
            throw new IllegalArgumentException("need the same positive number of answers, labels and weights, was "
                    + n + ", " + good.length + ", " + w.length);
        }
        int d = AnswerChecks.FEATURES.size() + 1;
        double weightSum = 0;
        for (int i = 0; i < n; i++) {
            if (x[i].length != d - 1) {
                throw new IllegalArgumentException("answer " + i + " has " + x[i].length + " features, expected " + (d - 1));
            }
            weightSum += w[i];
        }
        double[] beta = new double[d];
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double[] gradient = new double[d];
            double[][] hessian = new double[d][d];
            for (int i = 0; i < n; i++) {
                double[] row = withBias(x[i]);
                double p = sigmoid(dot(beta, row));
                double r = w[i] * ((good[i] ? 1 : 0) - p);
                double s = w[i] * Math.max(p * (1 - p), 1e-9);
                for (int a = 0; a < d; a++) {
                    gradient[a] += r * row[a];
                    for (int b = 0; b <= a; b++) {
                        hessian[a][b] += s * row[a] * row[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < a; b++) {
                    hessian[b][a] = hessian[a][b];
                }
                if (a > 0) {
                    gradient[a] -= l2 * weightSum * beta[a];
                    hessian[a][a] += l2 * weightSum;
                }
                hessian[a][a] += 1e-9 * weightSum;
            }
            double[] step = solve(hessian, gradient);
            double change = 0;
            for (int a = 0; a < d; a++) {
                beta[a] += step[a];
                change = Math.max(change, Math.abs(step[a]));
            }
            if (change < 1e-8) {
                break;
            }
        }
        double[] weights = new double[d - 1];
        System.arraycopy(beta, 1, weights, 0, d - 1);
        return new AnswerVerifier(expert, AnswerChecks.FEATURES, weights, beta[0], n);
    }

    private static double[] withBias(double[] x) {
        double[] row = new double[x.length + 1];
        row[0] = 1;
        System.arraycopy(x, 0, row, 1, x.length);
        return row;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Gaussian elimination with partial pivoting; {@code a} is positive definite here. */
    static double[] solve(double[][] a, double[] b) {
        int d = b.length;
        double[][] m = new double[d][d + 1];
        for (int r = 0; r < d; r++) {
            System.arraycopy(a[r], 0, m[r], 0, d);
            m[r][d] = b[r];
        }
        for (int c = 0; c < d; c++) {
            int pivot = c;
            for (int r = c + 1; r < d; r++) {
                pivot = Math.abs(m[r][c]) > Math.abs(m[pivot][c]) ? r : pivot;
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            for (int r = c + 1; r < d; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= d; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        double[] x = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = m[r][d];
            for (int k = r + 1; k < d; k++) {
                s -= m[r][k] * x[k];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}
