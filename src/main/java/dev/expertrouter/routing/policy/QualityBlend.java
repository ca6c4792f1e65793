package dev.expertrouter.routing.policy;

/**
 * Blends a per-prompt prediction with the per-domain estimate by evidence:
 * {@code (n x predicted + k x prior) / (n + k)}, n being the weighted count of rated outcomes of
 * the expert the predictor learned from and k what the prior is worth in outcomes. An expert with
 * little feedback thus keeps (nearly) its prior; one with thousands of rated answers is judged per prompt.
 */
public record QualityBlend(double priorWeight) {

    public static final double DEFAULT_PRIOR_WEIGHT = 50;

    public QualityBlend {
        if (!(priorWeight >= 0) || Double.isInfinite(priorWeight)) {
            throw new IllegalArgumentException("priorWeight must be a finite number >= 0, got " + priorWeight);
        }
    }

    public double blend(double predicted, double evidence, double prior) {
        double n = Math.max(0, evidence);
        if (n + priorWeight == 0) {
            return prior;
        }
        return (n * predicted + priorWeight * prior) / (n + priorWeight);
    }
}
