package dev.expertrouter.routing.classifier;

import java.util.List;

/**
 * A loaded, validated router model: an ensemble of MLP heads over sentence embeddings whose mean
 * logits, divided by a fitted temperature, give calibrated domain probabilities. Immutable, so
 * safe to share across threads.
 *
 * @param version     the artifact's version directory name, reported as {@code x-router-version}
 * @param embedderId  the embedding model the heads were trained on
 * @param labels      domain per output index
 * @param members     the ensemble (all with the same input and output size)
 * @param temperature logit divisor fitted on the validation split; 1 means uncalibrated
 */
public record RouterModel(String version, String embedderId, List<String> labels, List<MlpHead> members,
        double temperature) {

    public RouterModel {
        labels = List.copyOf(labels);
        members = List.copyOf(members);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("a router model needs at least two domains, has " + labels);
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a router model needs at least one ensemble member");
        }
        int in = members.get(0).inputSize();
        for (MlpHead member : members) {
            if (member.outputSize() != labels.size()) {
                throw new IllegalArgumentException("a member outputs " + member.outputSize()
                        + " scores for " + labels.size() + " labels");
            }
            if (member.inputSize() != in) {
                throw new IllegalArgumentException("members disagree on input size");
            }
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, was " + temperature);
        }
    }

    public int inputSize() {
        return members.get(0).inputSize();
    }

    /** Calibrated probability per label index. */
    public double[] probabilities(float[] embedding) {
        return softmax(meanLogits(embedding), temperature);
    }

    /** Ensemble-mean logits before calibration (what temperature scaling is fitted on). */
    public double[] meanLogits(float[] embedding) {
        if (embedding.length != inputSize()) {
            throw new IllegalArgumentException("embedding has " + embedding.length
                    + " dimensions, the model takes " + inputSize());
        }
        double[] sum = new double[labels.size()];
        for (MlpHead member : members) {
            float[] logits = member.logits(embedding);
            for (int k = 0; k < sum.length; k++) {
                sum[k] += logits[k];
            }
        }
        for (int k = 0; k < sum.length; k++) {
            sum[k] /= members.size();
        }
        return sum;
    }

    public RouterModel withTemperature(double newTemperature) {
        return new RouterModel(version, embedderId, labels, members, newTemperature);
    }

    public static double[] softmax(double[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l / temperature);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            p[k] = Math.exp(logits[k] / temperature - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
