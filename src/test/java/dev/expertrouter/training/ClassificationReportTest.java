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
