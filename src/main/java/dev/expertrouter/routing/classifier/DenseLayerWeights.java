package dev.expertrouter.routing.classifier;

/**
 * One fully connected layer copied out of a DL4J network, evaluated with plain float math so the
 * forward pass is lock-free and allocation-light (DL4J's {@code output} is not thread-safe and
 * costs far more than 100k multiply-adds for this tiny head).
 *
 * @param weights row-major {@code [in][out]}, as DL4J stores "W"
 * @param bias    {@code [out]}
 * @param relu    ReLU after the affine map; false for the output layer (logits)
 */
public record DenseLayerWeights(int in, int out, float[] weights, float[] bias, boolean relu) {

    public DenseLayerWeights {
        if (weights.length != in * out) {
            throw new IllegalArgumentException("weights hold " + weights.length + " values, expected " + in * out);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias holds " + bias.length + " values, expected " + out);
        }
    }

    float[] apply(float[] x) {
        float[] y = bias.clone();
        for (int i = 0; i < in; i++) {
            float xi = x[i];
            if (xi == 0f) {
                continue;
            }
            int row = i * out;
            for (int j = 0; j < out; j++) {
                y[j] += xi * weights[row + j];
            }
        }
        if (relu) {
            for (int j = 0; j < out; j++) {
                if (y[j] < 0f) {
                    y[j] = 0f;
                }
            }
        }
        return y;
    }
}
