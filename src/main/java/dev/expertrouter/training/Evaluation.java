package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.MlpHead;
import dev.expertrouter.routing.classifier.RouterModel;

/** Scoring a model on embedded rows, shared by the training steps. */
final class Evaluation {

    private Evaluation() {
    }

    static ClassificationReport report(RouterModel model, EmbeddedSet set) {
        return ClassificationReport.of(model.labels(), set.y, probabilities(model, set));
    }

    static double[][] probabilities(RouterModel model, EmbeddedSet set) {
        double[][] probabilities = new double[set.size()][];
        for (int i = 0; i < set.size(); i++) {
            probabilities[i] = model.probabilities(set.x[i]);
        }
        return probabilities;
    }

    static double[] logits(MlpHead head, float[] x) {
        float[] l = head.logits(x);
        double[] d = new double[l.length];
        for (int c = 0; c < l.length; c++) {
            d[c] = l[c];
        }
        return d;
    }
}
