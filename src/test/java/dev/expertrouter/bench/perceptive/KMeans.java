package dev.expertrouter.bench.perceptive;

import java.util.List;
import java.util.Random;

/** Plain k-means on unit vectors (dot product), seeded: the benchmark's planted sub-topics. */
final class KMeans {

    private KMeans() {
    }

    static int[] assign(List<float[]> points, int k, long seed) {
        Random r = new Random(seed);
        int dim = points.get(0).length;
        double[][] centres = new double[k][];
        for (int c = 0; c < k; c++) {
            float[] p = points.get(r.nextInt(points.size()));
            centres[c] = new double[dim];
            for (int i = 0; i < dim; i++) {
                centres[c][i] = p[i];
            }
        }
        int[] assignment = new int[points.size()];
        for (int iter = 0; iter < 25; iter++) {
            for (int q = 0; q < points.size(); q++) {
                float[] p = points.get(q);
                int best = 0;
                double bestDot = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double dot = 0;
                    for (int i = 0; i < dim; i++) {
                        dot += p[i] * centres[c][i];
                    }
                    if (dot > bestDot) {
                        bestDot = dot;
                        best = c;
                    }
                }
                assignment[q] = best;
            }
            double[][] sums = new double[k][dim];
            for (int q = 0; q < points.size(); q++) {
                for (int i = 0; i < dim; i++) {
                    sums[assignment[q]][i] += points.get(q)[i];
                }
            }
            for (int c = 0; c < k; c++) {
                double norm = 0;
                for (double v : sums[c]) {
                    norm += v * v;
                }
                if (norm > 0) {
                    for (int i = 0; i < dim; i++) {
                        centres[c][i] = sums[c][i] / Math.sqrt(norm);
                    }
                }
            }
        }
        return assignment;
    }
}
