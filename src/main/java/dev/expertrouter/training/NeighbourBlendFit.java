package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.NeighbourBlend;
import dev.expertrouter.routing.classifier.NeighbourIndex;
import dev.expertrouter.routing.classifier.RouterArtifactFiles;
import dev.expertrouter.routing.classifier.RouterModel;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The neighbour blend step: builds the vote's index and fits the blend's temperature on the same
 * held-out predictions as the heads' temperature: out-of-fold after a refit (each example's vote
 * from the other folds' rows), else validation against an index of the training rows.
 *
 * @param heldOut the blend's report on those held-out predictions
 */
record NeighbourBlendFit(NeighbourBlend blend, ClassificationReport heldOut) {

    /**
     * @param heads the heads' calibrated probabilities for the held-out examples
     * @param refit the refit, or {@code null} when the early-stopped members ship
     */
    static NeighbourBlendFit fit(TrainOptions.Neighbours nb, List<String> labels, double[][] heads,
            EmbeddedSet trainSet, EmbeddedSet valSet, KFoldRefit refit, PrintStream out) {
        boolean outOfFold = refit != null;
        EmbeddedSet heldOut = outOfFold ? refit.pool() : valSet;
        // The served index: over train+validation after a refit, else over the training rows,
        // which then also give the validation examples their votes.
        NeighbourIndex served = (outOfFold ? refit.pool() : trainSet).index(labels.size(), nb);
        double[][] votes = new double[heldOut.size()][];
        if (outOfFold) {
            EmbeddedSet pool = refit.pool();
            int[] fold = refit.fold();
            int folds = Arrays.stream(fold).max().orElse(0) + 1;
            for (int f = 0; f < folds; f++) {
                NeighbourIndex others = pool.select(fold, f, false).index(labels.size(), nb);
                for (int i = 0; i < pool.size(); i++) {
                    if (fold[i] == f) {
                        votes[i] = others.probabilities(pool.x[i]);
                    }
                }
            }
        } else {
            for (int i = 0; i < valSet.size(); i++) {
                votes[i] = served.probabilities(valSet.x[i]);
            }
        }
        NeighbourBlend unfitted = new NeighbourBlend(served, nb.headWeight(), 1.0);
        double[][] scores = new double[heads.length][];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = unfitted.scores(heads[i], votes[i]);
        }
        int[] identity = new int[labels.size()];
        for (int d = 0; d < identity.length; d++) {
            identity[d] = d;
        }
        double blendTemperature = TemperatureScaling.fit(scores, heldOut.y, identity, labels.size());
        double[][] blended = new double[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            blended[i] = RouterModel.softmax(scores[i], blendTemperature);
        }
        ClassificationReport report = ClassificationReport.of(labels, heldOut.y, blended);
        String on = outOfFold ? "out-of-fold" : "validation";
        out.printf(Locale.ROOT, "neighbour vote: k %d, tau %.3f, balance %.2f, %s space over %d rows; heads' weight "
                + "%.2f; blend temperature on %s predictions: T = %.4f%n", nb.k(), nb.tau(), nb.balance(),
                RouterArtifactFiles.space(served.whitened()), served.size(), nb.headWeight(), on, blendTemperature);
        out.print(report.table(on + ", heads + neighbours"));
        return new NeighbourBlendFit(unfitted.withTemperature(blendTemperature), report);
    }
}
