package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.RouterModel;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The report step: the served model scored on the held-out test split and the own examples held
 * out, beside the heads alone and the uncalibrated heads, printed as tables.
 *
 * @param testHeadsOnly the heads without the neighbour vote on test, or {@code null} without a vote
 */
record TrainingReport(ClassificationReport test, ClassificationReport ownTest, ClassificationReport testUncalibrated,
        ClassificationReport testHeadsOnly) {

    static TrainingReport of(RouterModel served, RouterModel headsOnly, RouterModel uncalibrated, EmbeddedSet testSet,
            EmbeddedSet ownTestSet, boolean testIsMmlu, PrintStream out) {
        ClassificationReport test = Evaluation.report(served, testSet);
        ClassificationReport own = Evaluation.report(served, ownTestSet);
        ClassificationReport uncal = Evaluation.report(uncalibrated, testSet);
        ClassificationReport heads = served.neighbours() == null ? null : Evaluation.report(headsOnly, testSet);
        if (heads != null) {
            out.print(heads.table("test (MMLU held-out), heads alone"));
        }
        out.print(test.table(testIsMmlu ? "test (MMLU held-out)" : "test (own examples)"));
        out.print(own.table("own examples, held-out"));
        out.printf(Locale.ROOT, "test ECE of the uncalibrated heads %.4f, of the served model %.4f%n", uncal.ece(),
                test.ece());
        return new TrainingReport(test, own, uncal, heads);
    }
}
