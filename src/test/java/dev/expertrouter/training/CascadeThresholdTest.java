package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CascadeThresholdTest {

    @Test
    void theThresholdIsTheLowestConfidenceWhoseDecisionsAreStillPreciseEnough() {
        // 40 rows: the 30 most confident (0.99 .. 0.70) are right, then 10 wrong ones (0.69 .. 0.60)
        double[][] p = new double[40][];
        int[] y = new int[40];
        for (int i = 0; i < 40; i++) {
            double c = 0.99 - i * 0.01;
            p[i] = new double[] {c, 1 - c};
            y[i] = i < 30 ? 0 : 1;
        }
        assertThat(CascadeTrainer.threshold(p, y, 1.0)).isEqualTo(p[29][0]);
        // 0.9 precision admits 3 wrong after 30 right: 30/33 >= 0.9
        assertThat(CascadeTrainer.threshold(p, y, 0.9)).isEqualTo(p[32][0]);
    }

    @Test
    void nothingIsDecidedWhenNoPrefixIsPreciseEnough() {
        double[][] p = new double[30][];
        int[] y = new int[30];
        for (int i = 0; i < 30; i++) {
            p[i] = new double[] {0.9, 0.1};
            y[i] = i % 2;
        }
        assertThat(CascadeTrainer.threshold(p, y, 0.95)).isGreaterThan(1.0);
    }

    @Test
    void softmaxRegressionSeparatesSeparableDomains() {
        float[][] x = new float[60][];
        int[] y = new int[60];
        for (int i = 0; i < 60; i++) {
            y[i] = i % 3;
            x[i] = new float[] {y[i] == 0 ? 1 : 0, y[i] == 1 ? 1 : 0, y[i] == 2 ? 1 : 0};
        }
        float[] head = SoftmaxRegression.fit(x, y, 3, 1e-4, 300, 1);
        for (int i = 0; i < 60; i++) {
            double[] logits = new double[3];
            for (int c = 0; c < 3; c++) {
                logits[c] = head[c * 4 + 3];
                for (int j = 0; j < 3; j++) {
                    logits[c] += head[c * 4 + j] * x[i][j];
                }
            }
            assertThat(CascadeTrainer.argmax(logits)).isEqualTo(y[i]);
        }
    }
}
