package dev.expertrouter.routing.quality;

import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.classifier.MlpHead;
import dev.expertrouter.routing.policy.ExpertQualityEstimator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The serving quality predictor: one small network shared by all experts (embedding, domain
 * scores and length in; one logit per expert out), evaluated with plain float math, so a decision
 * costs one forward pass of about 25k multiply-adds whatever the number of experts. The experts it
 * was trained on are fixed; an expert since removed from the configuration is simply never asked
 * for, and one added since is unknown to it (its per-domain prior then decides).
 *
 * @param version    the router model version this predictor belongs to
 * @param embedderId the embedding model its inputs came from; a prompt embedded by another is not predicted
 * @param dimension  embedding dimension
 * @param domains    the domain order of the score features
 * @param experts    expert ids in output order
 * @param evidence   per expert, the weighted count of rated outcomes it was trained on
 * @param head       the network
 */
public record QualityPredictor(String version, String embedderId, int dimension, List<String> domains,
        List<String> experts, double[] evidence, MlpHead head) implements ExpertQualityEstimator {

    public QualityPredictor {
        domains = List.copyOf(domains);
        experts = List.copyOf(experts);
        evidence = evidence.clone();
        if (head.inputSize() != QualityFeatures.size(dimension, domains.size())) {
            throw new IllegalArgumentException("the network takes " + head.inputSize() + " inputs, the features are "
                    + QualityFeatures.size(dimension, domains.size()));
        }
        if (head.outputSize() != experts.size() || evidence.length != experts.size()) {
            throw new IllegalArgumentException("the network gives " + head.outputSize() + " outputs for "
                    + experts.size() + " experts with " + evidence.length + " evidence counts");
        }
    }

    @Override
    public PromptQuality forPrompt(Classification c, int inputTokens) {
        float[] embedding = c.embedding();
        if (embedding == null || embedding.length != dimension
                || (c.embedderId() != null && embedderId != null && !embedderId.equals(c.embedderId()))) {
            return PromptQuality.NONE;
        }
        return new Prediction(this, probabilities(QualityFeatures.of(embedding, c.scores(), domains, inputTokens)));
    }

    /** P(good) per expert, in {@link #experts()} order. */
    public double[] probabilities(float[] features) {
        float[] logits = head.logits(features);
        double[] p = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = 1 / (1 + Math.exp(-logits[i]));
        }
        return p;
    }

    public int indexOf(String expert) {
        return experts.indexOf(expert);
    }

    private record Prediction(QualityPredictor model, double[] p) implements PromptQuality {

        @Override
        public OptionalDouble predicted(String expert) {
            int i = model.experts.indexOf(expert);
            return i < 0 ? OptionalDouble.empty() : OptionalDouble.of(p[i]);
        }

        @Override
        public double evidence(String expert) {
            int i = model.experts.indexOf(expert);
            return i < 0 ? 0 : model.evidence[i];
        }
    }
}
