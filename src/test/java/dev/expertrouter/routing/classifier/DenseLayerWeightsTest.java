package dev.expertrouter.routing.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DenseLayerWeightsTest {

    /** The textbook forward pass over DL4J's row-major [in][out] weights, as the layer's contract. */
    static float[] reference(int in, int out, float[] w, float[] b, boolean relu, float[] x) {
        float[] y = b.clone();
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                y[j] += x[i] * w[i * out + j];
            }
        }
        if (relu) {
            for (int j = 0; j < out; j++) {
                y[j] = Math.max(0f, y[j]);
            }
        }
        return y;
    }

    @Test
    void theForwardPassGivesTheTextbookSumsBitForBit() {
        Random r = new Random(3);
        for (boolean relu : new boolean[] {true, false}) {
            int in = 37;
            int out = 23;
            float[] w = new float[in * out];
            float[] b = new float[out];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            for (int j = 0; j < out; j++) {
                b[j] = (float) r.nextGaussian();
            }
            DenseLayerWeights layer = new DenseLayerWeights(in, out, w, b, relu);
            for (int k = 0; k < 50; k++) {
                float[] x = new float[in];
                for (int i = 0; i < in; i++) {
                    x[i] = i % 5 == 0 ? 0f : (float) r.nextGaussian(); // zeros, as after a ReLU
                }
                assertThat(layer.apply(x)).containsExactly(reference(in, out, w, b, relu, x));
                float[] other = x.clone();
                other[1] = 0f;
                other[2] = -other[2];
                float[][] both = layer.applyBoth(x, other);
                assertThat(both[0]).containsExactly(layer.apply(x));
                assertThat(both[1]).containsExactly(layer.apply(other));
            }
            assertThat(layer.weights()).isSameAs(w);
            assertThat(layer.in()).isEqualTo(in);
            assertThat(layer.out()).isEqualTo(out);
        }
    }
}
