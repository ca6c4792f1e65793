package dev.expertrouter.routing.classifier;

/**
 * One fully connected layer copied out of a DL4J network, evaluated with plain float math so the
 * forward pass is lock-free and allocation-light (DL4J's {@code output} is not thread-safe and
 * costs far more than 100k multiply-adds for this tiny head).
 *
 * <p>The weights are also kept as one array per input row: {@code y[j] += x[i] * row[j]} indexes
 * both arrays alike, so the JIT can vectorise it (with one flat array at an offset it cannot rule
 * out that the two overlap, and runs it scalar: 4-5x slower). The sums are the same, in the same
 * order.
 */
public final class DenseLayerWeights {

    private final int in;
    private final int out;
    private final float[] weights;
    private final float[][] rows;
    private final float[] bias;
    private final boolean relu;

    /**
     * @param weights row-major {@code [in][out]}, as DL4J stores "W"
     * @param bias    {@code [out]}
     * @param relu    ReLU after the affine map; false for the output layer (logits)
     */
    public DenseLayerWeights(int in, int out, float[] weights, float[] bias, boolean relu) {
        if (weights.length != in * out) {
            throw new IllegalArgumentException("weights hold " + weights.length + " values, expected " + in * out);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias holds " + bias.length + " values, expected " + out);
        }
        this.in = in;
        this.out = out;
        this.weights = weights;
        this.bias = bias;
        this.relu = relu;
        this.rows = new float[in][];
        for (int i = 0; i < in; i++) {
            rows[i] = java.util.Arrays.copyOfRange(weights, i * out, (i + 1) * out);
        }
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** Row-major {@code [in][out]}. */
    public float[] weights() {
        return weights;
    }

    public float[] bias() {
        return bias;
    }

    public boolean relu() {
        return relu;
    }

    float[] apply(float[] x) {
        float[] y = bias.clone();
        for (int i = 0; i < in; i++) {
            if (x[i] != 0f) {
                addScaled(y, x[i], rows[i]);
            }
        }
        return activated(y);
    }

    /**
     * {@link #apply} to two inputs in one sweep over the weights: each row is fetched from memory
     * once and used twice while it is in the L1 cache. The five heads' first layers are about 2 MB,
     * more than a core's L2, so a second input costs little more than its arithmetic. The same sums
     * as two calls of {@link #apply}.
     */
    float[][] applyBoth(float[] a, float[] b) {
        float[] ya = bias.clone();
        float[] yb = bias.clone();
        for (int i = 0; i < in; i++) {
            if (a[i] != 0f) {
                addScaled(ya, a[i], rows[i]);
            }
            if (b[i] != 0f) {
                addScaled(yb, b[i], rows[i]);
            }
        }
        return new float[][] {activated(ya), activated(yb)};
    }

    /** {@code y += x * row}, elementwise: one loop the JIT vectorises (both arrays indexed alike). */
    private static void addScaled(float[] y, float x, float[] row) {
        for (int j = 0; j < y.length; j++) {
            y[j] += x * row[j];
        }
    }

    private float[] activated(float[] y) {
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
