package dev.expertrouter.routing.classifier;

/**
 * How a {@link RouterModel} blends its heads with a {@link NeighbourIndex}: a weighted geometric
 * mean of the two domain distributions, {@code softmax((w * log pHeads + (1 - w) * log max(pVote,
 * floor)) / temperature)}, with its own temperature fitted on held-out predictions.
 *
 * @param index       the labelled training embeddings
 * @param headWeight  the heads' share {@code w} in [0, 1]
 * @param temperature divisor of the blended log-scores; 1 leaves them as they are
 */
public record NeighbourBlend(NeighbourIndex index, double headWeight, double temperature) {

    /** A domain no neighbour voted for keeps this much probability, so it is never certain-never. */
    public static final double VOTE_FLOOR = 1e-4;
    private static final double HEAD_FLOOR = 1e-9;

    public NeighbourBlend {
        if (index == null) {
            throw new IllegalArgumentException("a neighbour blend needs an index");
        }
        if (!(headWeight >= 0 && headWeight <= 1)) {
            throw new IllegalArgumentException("headWeight must be within [0, 1], was " + headWeight);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("blend temperature must be positive and finite, was " + temperature);
        }
    }

    /** The blended log-scores before the temperature (what the temperature is fitted on). */
    public double[] scores(double[] headProbabilities, double[] vote) {
        double[] z = new double[headProbabilities.length];
        for (int d = 0; d < z.length; d++) {
            z[d] = headWeight * Math.log(Math.max(HEAD_FLOOR, headProbabilities[d]))
                    + (1 - headWeight) * Math.log(Math.max(VOTE_FLOOR, vote[d]));
        }
        return z;
    }

    public NeighbourBlend withTemperature(double newTemperature) {
        return new NeighbourBlend(index, headWeight, newTemperature);
    }
}
