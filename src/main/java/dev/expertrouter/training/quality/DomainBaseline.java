package dev.expertrouter.training.quality;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What per-domain routing knows: the weighted good-rate of each expert in each router domain on
 * the training examples, shrunk toward the expert's overall rate by {@code shrink} pseudo-examples.
 * The predictor must beat this when no predictor serves yet.
 */
public final class DomainBaseline implements QualityScorer {

    private final Map<String, double[]> byExpertDomain = new HashMap<>();
    private final double[] expertGood;
    private final double[] expertWeight;
    private final double shrink;
    private final double overall;

    public DomainBaseline(List<QualityExample> training, int experts, double shrink) {
        this.shrink = shrink;
        this.expertGood = new double[experts];
        this.expertWeight = new double[experts];
        double good = 0;
        double all = 0;
        for (QualityExample x : training) {
            double[] s = byExpertDomain.computeIfAbsent(x.expert() + "\u0000" + x.domain(), k -> new double[2]);
            s[0] += x.good() ? x.weight() : 0;
            s[1] += x.weight();
            expertGood[x.expert()] += x.good() ? x.weight() : 0;
            expertWeight[x.expert()] += x.weight();
            good += x.good() ? x.weight() : 0;
            all += x.weight();
        }
        this.overall = all == 0 ? 0.5 : good / all;
    }

    @Override
    public double p(QualityExample x, List<String> experts) {
        double expertRate = x.expert() < expertWeight.length && expertWeight[x.expert()] > 0
                ? (expertGood[x.expert()] + shrink * overall) / (expertWeight[x.expert()] + shrink) : overall;
        double[] s = byExpertDomain.get(x.expert() + "\u0000" + x.domain());
        return s == null ? expertRate : (s[0] + shrink * expertRate) / (s[1] + shrink);
    }
}
