package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Corrections widen the minibatch so an epoch keeps the base data's step count (hand-computed cases). */
class MinibatchWideningTest {

    private static final TrainOptions OPTIONS = TrainOptions.parse(new String[] {"--examples", "config/domains", "--out",
            "router-models", "--version", "vx"});

    @Test
    void threeThousandCorrectionsAtWeightThreeKeepFortyFiveStepsAnEpoch() {
        // the real data: 1,416 base rows (45 steps of 32) + 1,754 training corrections x 3 = 6,678 rows
        TrainOptions widened = TrainingPipeline.withStepsOfTheBaseData(OPTIONS, 1416, 6678);
        assertThat(widened.head().batchSize()).isEqualTo(149); // ceil(6678 / 45)
        assertThat((6678 + 148) / 149).isEqualTo(45);
        assertThat(widened.head()).isEqualTo(OPTIONS.head().withBatchSize(149));
        assertThat(widened.version()).isEqualTo("vx");
    }

    @Test
    void withoutCorrectionsTheRecipeIsUnchanged() {
        assertThat(TrainingPipeline.withStepsOfTheBaseData(OPTIONS, 1416, 1416)).isSameAs(OPTIONS);
        assertThat(TrainingPipeline.withStepsOfTheBaseData(OPTIONS, 1416, 1430)).isSameAs(OPTIONS); // still 45 steps of 32
    }
}
