package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expertrouter.routing.classifier.Whitening;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WhiteningFitTest {

    /** Correlated Gaussian rows: a random mixing of independent components of very unequal scale. */
    private static float[][] correlatedRows(int n, int d, long seed) {
        Random random = new Random(seed);
        double[][] mix = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                mix[i][j] = random.nextGaussian() * Math.pow(3, -j);
            }
        }
        float[][] rows = new float[n][d];
        for (int r = 0; r < n; r++) {
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                z[j] = random.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                double v = 2; // a shared offset, as sentence embeddings have
                for (int j = 0; j < d; j++) {
                    v += mix[i][j] * z[j];
                }
                rows[r][i] = (float) v;
            }
        }
        return rows;
    }

    /** Second moments of the rows: for isotropic unit vectors in p dimensions, I / p. */
    private static double[][] secondMoments(float[][] rows) {
        int d = rows[0].length;
        double[][] m = new double[d][d];
        for (float[] row : rows) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    m[i][j] += (double) row[i] * row[j] / rows.length;
                }
            }
        }
        return m;
    }

    @Test
    void whitenedRowsPointEveryWhichWayEqually() {
        int d = 6;
        float[][] rows = correlatedRows(6000, d, 7);
        Whitening whitening = WhiteningFit.fit(rows, 0);
        assertThat(whitening.inputDimension()).isEqualTo(d);
        assertThat(whitening.outputDimension()).isEqualTo(d);
        float[][] whitened = new float[rows.length][];
        float[][] normalised = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            whitened[r] = whitening.apply(rows[r]);
            double norm = 0;
            for (float v : rows[r]) {
                norm += v * v;
            }
            normalised[r] = new float[d];
            for (int i = 0; i < d; i++) {
                normalised[r][i] = (float) (rows[r][i] / Math.sqrt(norm));
            }
        }
        double[][] m = secondMoments(whitened);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                assertThat(m[i][j]).as("moment %d,%d", i, j).isCloseTo(i == j ? 1.0 / d : 0, within(0.02));
            }
        }
        // Without whitening the same rows crowd into a cone: far from isotropic.
        double[][] raw = secondMoments(normalised);
        double worst = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                worst = Math.max(worst, Math.abs(raw[i][j] - (i == j ? 1.0 / d : 0)));
            }
        }
        assertThat(worst).isGreaterThan(0.05);

        // Shrinkage scales the low-variance directions up less: they keep a smaller share.
        Whitening shrunk = WhiteningFit.fit(rows, WhiteningFit.DEFAULT_SHRINKAGE);
        float[][] images = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            images[r] = shrunk.apply(rows[r]);
        }
        double[][] s = secondMoments(images);
        assertThat(s[0][0]).isGreaterThan(1.0 / d);
        assertThat(s[d - 1][d - 1]).isLessThan(s[0][0] / 2);
        assertThat(s[0][0] + s[1][1] + s[2][2] + s[3][3] + s[4][4] + s[5][5]).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void fewerRowsThanDimensionsKeepsOnlyTheDirectionsThatVary() {
        float[][] rows = correlatedRows(5, 8, 11);
        Whitening whitening = WhiteningFit.fit(rows);
        // Five centred rows span at most four directions; the rest have no variance to scale up.
        assertThat(whitening.outputDimension()).isEqualTo(4);
        float[] image = whitening.apply(new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        double norm = 0;
        for (float v : image) {
            assertThat(Float.isFinite(v)).isTrue();
            norm += v * v;
        }
        assertThat(norm).isCloseTo(1.0, within(1e-5));
    }
}
