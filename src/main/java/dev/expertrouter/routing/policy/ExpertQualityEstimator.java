package dev.expertrouter.routing.policy;

import dev.expertrouter.routing.Classification;
import java.util.OptionalDouble;

/**
 * Per-prompt quality predictions the policy engine consults before the per-domain priors. The
 * policy blends each prediction with the expert's per-domain estimate by how much evidence backs
 * it ({@link QualityBlend}); an expert the estimator does not know (new in YAML, or without
 * feedback) keeps its per-domain estimate. Risk tiers and hard limits never read predictions.
 */
public interface ExpertQualityEstimator {

    /** No predictor serving: every expert keeps its per-domain estimate. */
    ExpertQualityEstimator NONE = (classification, inputTokens) -> PromptQuality.NONE;

    /**
     * Predictions for one prompt, computed once per request (one forward pass for all experts).
     * Must not block and must be thread-safe.
     */
    PromptQuality forPrompt(Classification classification, int inputTokens);

    /** What the estimator expects of each expert for one prompt. */
    interface PromptQuality {

        PromptQuality NONE = new PromptQuality() {
            @Override
            public OptionalDouble predicted(String expert) {
                return OptionalDouble.empty();
            }

            @Override
            public double evidence(String expert) {
                return 0;
            }
        };

        /** P(a good answer from this expert to this prompt), or empty when the expert is unknown. */
        OptionalDouble predicted(String expert);

        /** How many (weighted) rated outcomes of this expert the prediction rests on. */
        double evidence(String expert);
    }
}
