package dev.expertrouter.routing.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerChecksTest {

    static final String PROMPT = "Janet's ducks lay 16 eggs per day. She eats 3 and bakes with 4. She sells the rest "
            + "for $2 each. How much does she make?";

    static double feature(double[] x, String name) {
        return x[AnswerChecks.FEATURES.indexOf(name)];
    }

    @Test
    void aRightWorkedAnswerPassesEveryCheck() {
        double[] x = AnswerChecks.of(PROMPT,
                "She sells 16 - 3 - 4 = <<16-3-4=9>>9 eggs.\nShe makes 9 * $2 = $<<9*2=18>>18.\n#### 18");

        assertThat(x).hasSize(AnswerChecks.FEATURES.size());
        assertThat(feature(x, "no_final_marker")).isZero();
        assertThat(feature(x, "calculator_error")).isZero();
        assertThat(feature(x, "inline_error")).isZero();
        assertThat(feature(x, "error_count")).isZero();
        assertThat(feature(x, "checked_calculations")).isEqualTo(0.4); // two annotations, two inline
        assertThat(feature(x, "final_disagrees")).isZero();
        assertThat(feature(x, "final_not_integer")).isZero();
        assertThat(feature(x, "final_repeats_prompt")).isZero();
        assertThat(feature(x, "hedging")).isZero();
        assertThat(feature(x, "second_guessing")).isZero();
        assertThat(feature(x, "prompt_numbers_unused")).isZero(); // 16, 3, 4 and 2 all used
        assertThat(feature(x, "prompt_numbers")).isEqualTo(0.4);
        assertThat(java.util.Arrays.stream(x).boxed().toList()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
    }

    @Test
    void aWrongCalculatorAnnotationAndAWrongInlineCalculationAreCaughtApart() {
        double[] annotation = AnswerChecks.of(PROMPT, "She makes $<<9*2=17>>17.\n#### 17");
        double[] inline = AnswerChecks.of(PROMPT, "She has 16 - 3 - 4 = 8 eggs, so 8 x $2 = $16.\n#### 16");

        assertThat(feature(annotation, "calculator_error")).isEqualTo(1.0);
        assertThat(feature(annotation, "inline_error")).isZero(); // the annotation is taken out before
        assertThat(feature(inline, "calculator_error")).isZero();
        assertThat(feature(inline, "inline_error")).isEqualTo(1.0);
        assertThat(feature(inline, "error_count")).isEqualTo(1 / 3.0);
        assertThat(feature(inline, "final_repeats_prompt")).isEqualTo(1.0); // 16 is a number the prompt gave
        assertThat(feature(annotation, "prompt_numbers_unused")).isEqualTo(0.75); // 16, 3 and 4 never mentioned
    }

    @Test
    void theFinalNumberIsJudgedByItsKindAndAgainstTheLastNumberShown() {
        double[] fraction = AnswerChecks.of(PROMPT, "So each share is 2.5 dollars.");
        double[] negative = AnswerChecks.of(PROMPT, "The answer is -4.");
        double[] disagrees = AnswerChecks.of(PROMPT, "#### 18\nOn second thought she keeps 2, so 14.");

        assertThat(feature(fraction, "no_final_marker")).isEqualTo(1.0);
        assertThat(feature(fraction, "final_not_integer")).isEqualTo(1.0);
        assertThat(feature(negative, "no_final_marker")).isZero();
        assertThat(feature(negative, "final_negative")).isEqualTo(1.0);
        assertThat(feature(disagrees, "final_disagrees")).isEqualTo(1.0);
        assertThat(feature(AnswerChecks.of(PROMPT, "I assume she sells them all."), "hedging")).isEqualTo(1.0);
        assertThat(feature(AnswerChecks.of(PROMPT, "9 eggs. Wait, she bakes 4, so 9."), "second_guessing")).isEqualTo(1.0);
        // seven words, the number among them, per one number: 7 / 1 / 20
        assertThat(feature(AnswerChecks.of(PROMPT, "She sells the rest and makes 18."), "words_per_number"))
                .isEqualTo(7 / 20.0);
        assertThat(feature(AnswerChecks.of(PROMPT, "No number here."), "final_not_integer")).isEqualTo(1.0);
    }

    @Test
    void chainsAreReadStepByStepAndRoundingIsNoSlip() {
        // a chain is checked at its last step; a check stopping at "= 22" or "= 1" would call it wrong
        String chain = "There are 22 + 4 x 12 = 22 + 48 = 70 pink ones; 1,350 + 6 * 350 = 1,350 + 2,100 = $3,450 "
                + "and 16 \\* 3/4 = 12 bags. They need 73 / 8 = 9 boxes.\n#### 9";
        assertThat(AnswerChecks.arithmetic(chain)).containsExactly(0, 0, 4, 0);
        assertThat(AnswerChecks.arithmetic("So 2 * 27 - 5 = 52 years.")).containsExactly(0, 0, 1, 1);
    }

    @Test
    void theCalculatorReadsPrecedenceParenthesesAndThousandsAndRefusesAnythingElse() {
        assertThat(AnswerChecks.Calculator.evaluate("2 + 3 * 4")).isEqualTo(14.0);
        assertThat(AnswerChecks.Calculator.evaluate("(2 + 3) x 4")).isEqualTo(20.0);
        assertThat(AnswerChecks.Calculator.evaluate("$1,200 ÷ 4 - -1")).isEqualTo(301.0);
        assertThat(AnswerChecks.Calculator.evaluate("10 / 4")).isEqualTo(2.5);
        for (String bad : List.of("", "2 ** 3", "(2 + 3", "2 +", "1,2 + 3", "3 apples", "2 % 3")) {
            assertThat(AnswerChecks.Calculator.evaluate(bad)).as(bad).isNull();
        }
        // unreadable calculations are not counted, neither right nor wrong
        assertThat(AnswerChecks.arithmetic("1,2 + 3 = 4 and <<2**3=8>>")).containsExactly(0, 0, 0, 0);
    }

    @Test
    @org.junit.jupiter.api.Timeout(30) // a backtracking pattern would take hours on these, not seconds
    void pathologicalAnswersAreReadInLinearTime() {
        String spaced = "1  +  ".repeat(2_700) + "1 apples";   // a long chain that never reaches '='
        String parens = "(".repeat(8_000) + "1 + 2 =";        // opened, never closed, no value
        String digits = "12,".repeat(5_000) + " + 1 = x";

        for (String answer : List.of(spaced, parens, digits)) {
            assertThat(AnswerChecks.of(PROMPT, answer)).hasSize(AnswerChecks.FEATURES.size());
        }
        assertThat(AnswerChecks.arithmetic(spaced)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void longAnswersAreReadUpToTheLimitAndNullIsRefused() {
        String huge = "1 + 1 = 2; ".repeat(5_000) + "1 + 1 = 3";
        double[] x = AnswerChecks.of(PROMPT, huge);

        assertThat(feature(x, "inline_error")).isZero(); // the wrong sum lies beyond MAX_CHARS
        assertThat(feature(x, "checked_calculations")).isEqualTo(1.0);
        assertThatThrownBy(() -> AnswerChecks.of(PROMPT, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void thePlainMarkerSearchFindsExactlyWhatTheMarkerPatternFinds() {
        for (String text : java.util.List.of("", "So 12 cookies.", "#### 12", "The Answer Is 12", "FINAL ANSWER: 3",
                "\\boxed{4}", "\\BOXED{4}", "answer:5", "Answer :5", "answers is", "final  answer", "###", "ANSWER IS",
                "answer \u0130s 3", "\u212Answer is", "ｆinal answer 2", "the answer\nis 3", "#### ", "a ##### b")) {
            assertThat(AnswerChecks.hasMarker(text)).as(text).isEqualTo(AnswerChecks.MARKER.matcher(text).find());
        }
    }
}
