package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.RouterModel;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The report step: the served model scored on the held-out test split, the own examples held out
 * and the chat-style held-out set, beside the heads alone and the uncalibrated heads, printed as
 * tables, with the chat-style and MMLU macro recalls side by side at the end.
 *
 * @param chatEval      the chat-style held-out set's score, or {@code null} without one
 * @param testHeadsOnly the heads without the neighbour vote on test, or {@code null} without a vote
 */
record TrainingReport(ClassificationReport test, ClassificationReport ownTest, ClassificationReport chatEval,
        ClassificationReport testUncalibrated, ClassificationReport testHeadsOnly) {

    /** @param chatEvalSet the chat-style held-out set embedded, or {@code null} */
    static TrainingReport of(RouterModel served, RouterModel headsOnly, RouterModel uncalibrated, EmbeddedSet testSet,
            EmbeddedSet ownTestSet, EmbeddedSet chatEvalSet, boolean testIsMmlu, PrintStream out) {
        ClassificationReport test = Evaluation.report(served, testSet);
        ClassificationReport own = Evaluation.report(served, ownTestSet);
        ClassificationReport chat = chatEvalSet == null ? null : Evaluation.report(served, chatEvalSet);
        ClassificationReport uncal = Evaluation.report(uncalibrated, testSet);
        ClassificationReport heads = served.neighbours() == null ? null : Evaluation.report(headsOnly, testSet);
        if (heads != null) {
            out.print(heads.table("test (MMLU held-out), heads alone"));
        }
        String testName = testIsMmlu ? "MMLU test split" : "test (own examples)";
        out.print(test.table(testIsMmlu ? "test (MMLU held-out)" : "test (own examples)"));
        out.print(own.table("own examples, held-out"));
        if (chat != null) {
            out.print(chat.table("chat-style held-out set (never trained on)"));
        }
        out.printf(Locale.ROOT, "test ECE of the uncalibrated heads %.4f, of the served model %.4f%n", uncal.ece(),
                test.ece());
        if (chat != null) {
            out.printf(Locale.ROOT, "macro recall: chat-style held-out %.4f (%d prompts) beside %s %.4f (%d): %s%n",
                    chat.macroRecall(), chat.count(), testName, test.macroRecall(), test.count(),
                    chat.macroRecall() >= test.macroRecall() ? "chat at least as high" : "chat LOWER");
        } else {
            out.printf(Locale.ROOT, "macro recall: %s %.4f; no chat-style held-out set%n", testName, test.macroRecall());
        }
        return new TrainingReport(test, own, chat, uncal, heads);
    }
}
