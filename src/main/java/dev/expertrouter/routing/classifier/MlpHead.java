package dev.expertrouter.routing.classifier;

import java.util.List;

/** One ensemble member: a stack of dense layers ending in per-domain logits. */
public record MlpHead(List<DenseLayerWeights> layers) {

    public MlpHead {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an MLP head needs at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).in() != layers.get(i - 1).out()) {
                throw new IllegalArgumentException("layer " + i + " takes " + layers.get(i).in()
                        + " inputs but layer " + (i - 1) + " gives " + layers.get(i - 1).out());
            }
        }
    }

    public int inputSize() {
        return layers.get(0).in();
    }

    public int outputSize() {
        return layers.get(layers.size() - 1).out();
    }

    /** {@link #logits} of two inputs, each layer's weights swept once for both. */
    float[][] logitsBoth(float[] a, float[] b) {
        float[][] x = {a, b};
        for (DenseLayerWeights layer : layers) {
            x = layer.applyBoth(x[0], x[1]);
        }
        return x;
    }

    public float[] logits(float[] input) {
        float[] x = input;
        for (DenseLayerWeights layer : layers) {
            x = layer.apply(x);
        }
        return x;
    }
}
