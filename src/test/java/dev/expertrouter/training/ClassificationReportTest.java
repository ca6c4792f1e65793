package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {

    @Test
    void computesPerDomainAndMacroScoresAndConfusion() {
        int[] truth = {0, 0, 0, 1};
        double[][] p = {{0.9, 0.1}, {0.8, 0.2}, {0.4, 0.6}, {0.3, 0.7}};
        ClassificationReport r = ClassificationReport.of(List.of("a", "b"), truth, p);
        assertThat(r.accuracy()).isEqualTo(0.75);
        assertThat(r.perDomain().get("a").recall()).isCloseTo(2.0 / 3, offset(1e-9));
        assertThat(r.perDomain().get("b").recall()).isEqualTo(1.0);
        assertThat(r.perDomain().get("b").precision()).isEqualTo(0.5);
        assertThat(r.macroRecall()).isCloseTo((2.0 / 3 + 1) / 2, offset(1e-9));
        assertThat(r.confusion()).isEqualTo(new int[][] {{2, 1}, {0, 1}});
        // bins: 0.9 right, 0.8 right, 0.6 wrong, 0.7 right -> |0.9-1|+|0.8-1|+|0.6-0|+|0.7-1| over 4
        assertThat(r.ece()).isCloseTo((0.1 + 0.2 + 0.6 + 0.3) / 4, offset(1e-9));
        assertThat(r.table("t")).contains("macro-recall");
    }

    @Test
    void bootstrapIntervalsBracketTheScoreAndNarrowWithMoreExamples() {
        // Domain a: 12 examples, 8 right; domain b: 40 examples, 36 right. Then the same rates x10.
        ClassificationReport small = report(12, 8, 40, 36);
        ClassificationReport large = report(120, 80, 400, 360);
        for (ClassificationReport r : List.of(small, large)) {
            assertThat(r.macroRecall95().low()).isLessThan(r.macroRecall()).isGreaterThan(0.5);
            assertThat(r.macroRecall95().high()).isGreaterThan(r.macroRecall()).isLessThanOrEqualTo(1.0);
            assertThat(r.ece95().low()).isLessThanOrEqualTo(r.ece95().high());
        }
        double smallWidth = small.macroRecall95().high() - small.macroRecall95().low();
        double largeWidth = large.macroRecall95().high() - large.macroRecall95().low();
        assertThat(largeWidth).isLessThan(smallWidth / 2);
        // Recall of 8/12 has a binomial standard error of about 0.136, 0.068 of the macro average,
        // so the small set's interval spans roughly 4 x 0.07 = 0.27 (plus domain b's share).
        assertThat(smallWidth).isBetween(0.2, 0.4);
        assertThat(report(12, 8, 40, 36).macroRecall95()).isEqualTo(small.macroRecall95());
        assertThat(small.table("t")).contains("95% bootstrap intervals");
    }

    /** Domain 0 with n0 examples of which r0 right, domain 1 likewise; right answers at 0.9, wrong at 0.6. */
    private static ClassificationReport report(int n0, int r0, int n1, int r1) {
        int n = n0 + n1;
        int[] truth = new int[n];
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            int domain = i < n0 ? 0 : 1;
            boolean right = domain == 0 ? i < r0 : i - n0 < r1;
            truth[i] = domain;
            int predicted = right ? domain : 1 - domain;
            p[i] = new double[2];
            p[i][predicted] = right ? 0.9 : 0.6;
            p[i][1 - predicted] = 1 - p[i][predicted];
        }
        return ClassificationReport.of(List.of("a", "b"), truth, p);
    }

    @Test
    void stratifiedSplitIsReproducibleAndKeepsEveryDomain() {
        List<LabelledPrompt> prompts = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            prompts.add(new LabelledPrompt("a" + i, "text a " + i, "a", null, LabelledPrompt.OWN));
            prompts.add(new LabelledPrompt("b" + i, "text b " + i, "b", null, LabelledPrompt.OWN));
        }
        StratifiedSplit one = StratifiedSplit.of(prompts, 0.2, 0.2, 7);
        StratifiedSplit two = StratifiedSplit.of(prompts, 0.2, 0.2, 7);
        assertThat(one).isEqualTo(two);
        assertThat(one.test()).hasSize(20).extracting(LabelledPrompt::domain).containsOnly("a", "b");
        assertThat(one.test().stream().filter(p -> p.domain().equals("a"))).hasSize(10);
        assertThat(one.train()).hasSize(60).doesNotContainAnyElementsOf(one.test());
    }
}
