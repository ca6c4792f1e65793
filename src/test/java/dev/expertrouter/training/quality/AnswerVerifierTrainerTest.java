package dev.expertrouter.training.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.routing.quality.AnswerChecks;
import dev.expertrouter.routing.quality.AnswerVerifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnswerVerifierTrainerTest {

    /** A worked answer to "a + b, times c"; when {@code slip}, one step's arithmetic is off by one. */
    record Answer(String prompt, String text, boolean good) {
    }

    /**
     * Planted: a slipped calculation makes the answer wrong 90% of the time; a clean one is right
     * 80% of the time. Nothing else differs between good and bad answers.
     */
    static List<Answer> answers(int n, long seed) {
        Random r = new Random(seed);
        List<Answer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int a = 2 + r.nextInt(50);
            int b = 2 + r.nextInt(50);
            int c = 2 + r.nextInt(9);
            boolean slip = r.nextDouble() < 0.3;
            int sum = a + b + (slip ? 1 : 0);
            String text = "First " + a + " + " + b + " = <<" + a + "+" + b + "=" + sum + ">>" + sum + ".\nThen " + sum
                    + " * " + c + " = <<" + sum + "*" + c + "=" + sum * c + ">>" + sum * c + ".\n#### " + sum * c;
            boolean good = slip ? r.nextDouble() < 0.1 : r.nextDouble() < 0.8;
            out.add(new Answer("Add " + a + " and " + b + ", then multiply by " + c + ".", text, good));
        }
        return out;
    }

    static AnswerVerifier fit(List<Answer> train) {
        double[][] x = train.stream().map(a -> AnswerChecks.of(a.prompt(), a.text())).toArray(double[][]::new);
        boolean[] y = new boolean[train.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = train.get(i).good();
        }
        double[] w = new double[y.length];
        Arrays.fill(w, 1);
        return new AnswerVerifierTrainer(1e-3).fit("cheap", x, y, w);
    }

    static QualityMetrics heldOut(AnswerVerifier v, List<Answer> test) {
        double[] p = test.stream().mapToDouble(a -> v.probabilityGood(a.prompt(), a.text())).toArray();
        boolean[] y = new boolean[test.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = test.get(i).good();
        }
        double[] w = new double[y.length];
        Arrays.fill(w, 1);
        return QualityMetrics.of(p, y, w);
    }

    @Test
    void learnsThatASlippedCalculationMeansABadAnswer() {
        AnswerVerifier v = fit(answers(1_500, 1));
        QualityMetrics m = heldOut(v, answers(600, 2));

        assertThat(m.auc()).isGreaterThan(0.75);
        assertThat(m.ece()).isLessThan(0.06);
        assertThat(v.weights()[AnswerChecks.FEATURES.indexOf("calculator_error")]).isNegative();
        assertThat(v.trainedOn()).isEqualTo(1_500);
        v.weights()[0] = 99; // a copy
        assertThat(v.weights()[0]).isNotEqualTo(99);
        // the planted rates come back: clean about 0.8, slipped about 0.1
        String prompt = "Add 10 and 20, then multiply by 3.";
        assertThat(v.probabilityGood(prompt, "First 10 + 20 = <<10+20=30>>30.\nThen 30 * 3 = <<30*3=90>>90.\n#### 90"))
                .isBetween(0.7, 0.9);
        assertThat(v.probabilityGood(prompt, "First 10 + 20 = <<10+20=31>>31.\nThen 31 * 3 = <<31*3=93>>93.\n#### 93"))
                .isBetween(0.02, 0.25);
    }

    @Test
    void theSameAnswersGiveTheSameWeights() {
        AnswerVerifier a = fit(answers(800, 3));
        AnswerVerifier b = fit(answers(800, 3));

        assertThat(a.weights()).containsExactly(b.weights());
        assertThat(a.bias()).isEqualTo(b.bias());
    }

    @Test
    void shuffledRatingsTeachNothing() {
        List<Answer> train = answers(1_500, 4);
        List<Boolean> labels = new ArrayList<>(train.stream().map(Answer::good).toList());
        java.util.Collections.shuffle(labels, new Random(5));
        List<Answer> shuffled = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            shuffled.add(new Answer(train.get(i).prompt(), train.get(i).text(), labels.get(i)));
        }
        AnswerVerifier v = fit(shuffled);
        List<Answer> test = answers(600, 6);
        double baseRate = train.stream().filter(Answer::good).count() / (double) train.size();

        // any tiny weight ranks the slip, so AUC says little here: the probabilities must stay flat
        assertThat(test).allSatisfy(a -> assertThat(v.probabilityGood(a.prompt(), a.text()))
                .isCloseTo(baseRate, org.assertj.core.data.Offset.offset(0.08)));
        double flatLogLoss = -test.stream().mapToDouble(a -> a.good() ? Math.log(baseRate) : Math.log(1 - baseRate))
                .average().orElseThrow();
        assertThat(heldOut(v, test).logLoss()).isGreaterThan(flatLogLoss - 0.01);
    }

    @Test
    void refusesMismatchedInputsAndVerifiersThisBuildCannotCompute() {
        AnswerVerifierTrainer trainer = new AnswerVerifierTrainer(1e-3);
        double[][] x = {AnswerChecks.of("p", "a")};

        assertThatThrownBy(() -> trainer.fit("cheap", x, new boolean[2], new double[1]))
                .hasMessageContaining("same positive number");
        assertThatThrownBy(() -> trainer.fit("cheap", new double[][] {{1, 2}}, new boolean[1], new double[1]))
                .hasMessageContaining("has 2 features");
        assertThatThrownBy(() -> new AnswerVerifierTrainer(-1)).hasMessageContaining("l2");
        double[] weights = new double[AnswerChecks.FEATURES.size()];
        assertThatThrownBy(() -> new AnswerVerifier("cheap", List.of("length"), new double[1], 0, 1))
                .hasMessageContaining("this build computes");
        weights[0] = Double.NaN;
        assertThatThrownBy(() -> new AnswerVerifier("cheap", AnswerChecks.FEATURES, weights, 0, 1))
                .hasMessageContaining("finite");
    }
}
