package dev.expertrouter.training.quality;

import dev.expertrouter.routing.quality.QualityPredictor;
import java.util.List;

/** Something the gate can compare: P(good) for one held-out example. */
public interface QualityScorer {

    double p(QualityExample x, List<String> experts);

    /**
     * A (serving) predictor; for an expert it does not know, and for features of another shape,
     * the fallback answers, as the policy's per-domain estimate would at serving time.
     */
    static QualityScorer of(QualityPredictor predictor, QualityScorer fallback) {
        return (x, experts) -> {
            int i = predictor.indexOf(experts.get(x.expert()));
            if (i < 0 || x.features().length != predictor.head().inputSize()) {
                return fallback.p(x, experts);
            }
            return predictor.probabilities(x.features())[i];
        };
    }
}
