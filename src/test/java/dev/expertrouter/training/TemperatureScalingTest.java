package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {

    private static final int[] IDENTITY = {0, 1, 2};

    /** Logits that always put ~99% on the predicted class, which is right only ~70% of the time. */
    private static double[][] overconfident(int n, int[] truth, long seed) {
        Random random = new Random(seed);
        double[][] logits = new double[n][3];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextInt(3);
            int predicted = random.nextDouble() < 0.7 ? truth[i] : (truth[i] + 1 + random.nextInt(2)) % 3;
            logits[i][predicted] = 5 + random.nextGaussian() * 0.3;
        }
        return logits;
    }

    @Test
    void overconfidentLogitsGetATemperatureAboveOneAndAnHonestEce() {
        int[] truth = new int[4000];
        double[][] logits = overconfident(4000, truth, 1);
        double t = TemperatureScaling.fit(logits, truth, IDENTITY, 3);
        assertThat(t).isGreaterThan(1.5);

        int[] testTruth = new int[4000];
        double[][] test = overconfident(4000, testTruth, 2);
        double eceBefore = report(test, testTruth, 1.0).ece();
        double eceAfter = report(test, testTruth, t).ece();
        assertThat(eceBefore).isGreaterThan(0.2);
        assertThat(eceAfter).isLessThan(0.03);
    }

    @Test
    void classesAreSummedIntoTheirDomain() {
        // classes 0 and 1 both belong to domain 0; class 2 to domain 1
        double[] p = dev.expertrouter.routing.classifier.RouterModel.domainProbabilities(
                new double[] {0, 0, 0}, 1.0, new int[] {0, 0, 1}, 2);
        assertThat(p[0]).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p[1]).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static ClassificationReport report(double[][] logits, int[] truth, double t) {
        double[][] p = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            p[i] = dev.expertrouter.routing.classifier.RouterModel.domainProbabilities(logits[i], t, IDENTITY, 3);
        }
        return ClassificationReport.of(java.util.List.of("a", "b", "c"), truth, p);
    }
}
