package dev.expertrouter.routing.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticStageTest {

    // vocabulary of 3 tokens in 2 dimensions: 0 -> x axis, 1 -> y axis, 2 -> x axis but nearly weightless
    private static final float[] TABLE = {1, 0, 0, 1, 1, 0};
    private static final Map<String, long[]> TOKENS = Map.of("x", new long[] {0}, "y", new long[] {1},
            "xy", new long[] {0, 1}, "the", new long[] {2}, "unknown", new long[] {99}, "x the the", new long[] {0, 2, 2});
    // two labels: label 0 scores the x component, label 1 the y component
    private static final float[] HEAD = {4, 0, 0, 0, 4, 0};

    private static StaticStage stage(double threshold) {
        return new StaticStage(TABLE, new float[] {1, 1, 0.001f}, 2, HEAD, 2, 1.0, threshold, TOKENS::get);
    }

    @Test
    void aPromptIsTheNormalisedWeightedMeanOfItsTokens() {
        assertThat(stage(0.5).vector("xy")).containsExactly(new float[] {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5)},
                within(1e-6f));
        assertThat(stage(0.5).vector("unknown")).isNull();
    }

    @Test
    void decidesOnlyWhenConfidentEnoughElseDefers() {
        double[] p = stage(0.9).decide("x");
        assertThat(p).isNotNull();
        assertThat(p[0]).isGreaterThan(0.98); // softmax(4, 0)
        assertThat(stage(0.9).decide("xy")).isNull(); // 50/50: defer to the transformer
        assertThat(stage(0.5).decide("xy")).isNotNull();
        assertThat(stage(0.9).decide("unknown")).isNull();
    }

    @Test
    void frequentTokensBarelyMoveTheMean() {
        float[] v = stage(0.5).vector("x the the");
        assertThat(v[0]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void temperatureSoftensTheConfidence() {
        StaticStage hot = new StaticStage(TABLE, new float[] {1, 1, 1}, 2, HEAD, 2, 4.0, 0.9, TOKENS::get);
        assertThat(hot.decide("x")).isNull(); // softmax(1, 0) = 0.73 < 0.9
    }
}
