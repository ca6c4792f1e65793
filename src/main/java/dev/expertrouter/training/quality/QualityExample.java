package dev.expertrouter.training.quality;

/**
 * One rated answer as the predictor learns it.
 *
 * @param features  {@link dev.expertrouter.routing.quality.QualityFeatures} of the prompt
 * @param expert    index of the answering expert in the dataset's expert list
 * @param good      whether the feedback score reached the threshold
 * @param weight    loss weight: user feedback counts more than the jury's
 * @param domain    the router's domain for the prompt (the per-domain baseline's key)
 */
public record QualityExample(float[] features, int expert, boolean good, double weight, String domain) {
}
