package dev.expertrouter.routing.classifier;

import java.util.List;

/**
 * A loaded, validated router model: an ensemble of MLP heads over sentence embeddings. The heads
 * score fine classes (MMLU subjects plus one chat class per domain); the ensemble-mean logits,
 * divided by a fitted temperature and soft-maxed, give class probabilities that are summed per
 * domain. Immutable, so safe to share across threads.
 *
 * @param version      the artifact's version directory name, reported as {@code x-router-version}
 * @param embedderId   the embedding model the heads were trained on
 * @param labels       the domains, in output order
 * @param classDomains for each fine class (head output index), the index of its domain in labels
 * @param members      the ensemble (all with the same input size and one output per fine class)
 * @param temperature  logit divisor fitted on the validation split; 1 means uncalibrated
 * @param neighbours   when present, the heads' domain probabilities are blended with a
 *                     nearest-neighbour vote (see {@link NeighbourBlend}); {@code null} for heads alone
 */
public record RouterModel(String version, String embedderId, List<String> labels, int[] classDomains,
        List<MlpHead> members, double temperature, NeighbourBlend neighbours) {

    public RouterModel(String version, String embedderId, List<String> labels, int[] classDomains,
            List<MlpHead> members, double temperature) {
        this(version, embedderId, labels, classDomains, members, temperature, null);
    }

    public RouterModel {
        labels = List.copyOf(labels);
        members = List.copyOf(members);
        classDomains = classDomains.clone();
        if (labels.size() < 2) {
            throw new IllegalArgumentException("a router model needs at least two domains, has " + labels);
        }
        boolean[] covered = new boolean[labels.size()];
        for (int d : classDomains) {
            if (d < 0 || d >= labels.size()) {
                throw new IllegalArgumentException("a class maps to domain index " + d + " outside " + labels);
            }
            covered[d] = true;
        }
        for (int d = 0; d < covered.length; d++) {
            if (!covered[d]) {
                throw new IllegalArgumentException("domain '" + labels.get(d) + "' has no class");
            }
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a router model needs at least one ensemble member");
        }
        int in = members.get(0).inputSize();
        for (MlpHead member : members) {
            if (member.outputSize() != classDomains.length) {
                throw new IllegalArgumentException("a member outputs " + member.outputSize()
                        + " scores for " + classDomains.length + " classes");
            }
            if (member.inputSize() != in) {
                throw new IllegalArgumentException("members disagree on input size");
            }
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, was " + temperature);
        }
        if (neighbours != null && neighbours.index().dimension() != in) {
            throw new IllegalArgumentException("the neighbour index holds " + neighbours.index().dimension()
                    + "-dimension embeddings, the heads take " + in);
        }
    }

    public int inputSize() {
        return members.get(0).inputSize();
    }

    /** Calibrated probability per domain (index into {@link #labels}). */
    public double[] probabilities(float[] embedding) {
        return withVote(embedding, headProbabilities(embedding));
    }

    /** The heads' probabilities of {@code embedding} blended with its neighbours' vote, when there is one. */
    private double[] withVote(float[] embedding, double[] heads) {
        if (neighbours == null) {
            return heads;
        }
        return softmax(neighbours.scores(heads, neighbours.index().probabilities(embedding)), neighbours.temperature());
    }

    /**
     * {@code [0]} {@link #probabilities} of {@code embedding}, {@code [1]} {@link #headProbabilities}
     * of {@code other}, the heads' weights swept once for both (the second costs little more than
     * its arithmetic; see {@link DenseLayerWeights#applyBoth}). The same numbers as the two calls.
     */
    public double[][] probabilitiesAndHeads(float[] embedding, float[] other) {
        checkSize(embedding);
        checkSize(other);
        double[] sumA = new double[classDomains.length];
        double[] sumB = new double[classDomains.length];
        for (MlpHead member : members) {
            float[][] logits = member.logitsBoth(embedding, other);
            for (int k = 0; k < sumA.length; k++) {
                sumA[k] += logits[0][k];
                sumB[k] += logits[1][k];
            }
        }
        for (int k = 0; k < sumA.length; k++) {
            sumA[k] /= members.size();
            sumB[k] /= members.size();
        }
        return new double[][] {withVote(embedding, domainProbabilities(sumA, temperature, classDomains, labels.size())),
                domainProbabilities(sumB, temperature, classDomains, labels.size())};
    }

    private void checkSize(float[] embedding) {
        if (embedding.length != inputSize()) {
            throw new IllegalArgumentException("embedding has " + embedding.length
                    + " dimensions, the model takes " + inputSize());
        }
    }

    /** The heads' calibrated domain probabilities, without the neighbour vote. */
    public double[] headProbabilities(float[] embedding) {
        return domainProbabilities(meanLogits(embedding), temperature, classDomains, labels.size());
    }

    /** Ensemble-mean class logits before calibration (what temperature scaling is fitted on). */
    public double[] meanLogits(float[] embedding) {
        checkSize(embedding);
        double[] sum = new double[classDomains.length];
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
        return new RouterModel(version, embedderId, labels, classDomains, members, newTemperature, neighbours);
    }

    public RouterModel withNeighbours(NeighbourBlend blend) {
        return new RouterModel(version, embedderId, labels, classDomains, members, temperature, blend);
    }

    /** softmax(scores / temperature). */
    public static double[] softmax(double[] scores, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s / temperature);
        }
        double[] p = new double[scores.length];
        double sum = 0;
        for (int d = 0; d < p.length; d++) {
            p[d] = Math.exp(scores[d] / temperature - max);
            sum += p[d];
        }
        for (int d = 0; d < p.length; d++) {
            p[d] /= sum;
        }
        return p;
    }

    /** softmax(classLogits / temperature), summed per domain. */
    public static double[] domainProbabilities(double[] classLogits, double temperature, int[] classDomains,
            int domains) {
        double[] classProbabilities = softmax(classLogits, temperature);
        double[] p = new double[domains];
        for (int k = 0; k < classProbabilities.length; k++) {
            p[classDomains[k]] += classProbabilities[k];
        }
        return p;
    }
}
