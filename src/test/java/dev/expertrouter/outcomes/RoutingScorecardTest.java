package dev.expertrouter.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutingScorecardTest {

    static OutcomeRecord outcome(String domain, String expert, int status, double cost, double saved) {
        return new OutcomeRecord("req-" + System.nanoTime(), Instant.EPOCH, "t", "balanced", "v4", domain, 0.9,
                Map.of(), false, expert, List.of(expert), List.of(), status, status < 400 ? null : "upstream_error",
                status < 400 ? 200 : 503, false, 10, 100, 50, cost, saved, "sha", null, "all-minilm-l6-v2-q", 8, null, false,
                null, false);
    }

    @Test
    void costPerWellRatedAnswerIsTheRatedSpendOverPositiveRatings() {
        RoutingScorecard s = new RoutingScorecard();
        s.outcome(outcome("math", "math-expert", 200, 0.002, 0.010));
        s.outcome(outcome("math", "math-expert", 200, 0.004, 0.008));
        s.outcome(outcome("math", "math-expert", 200, 0.100, 0.000)); // never rated: not in the ratio
        assertThat(s.costPerGoodAnswerUsd("math", "math-expert")).isEmpty();

        s.feedback("math-expert", "math", Optional.empty(), 1.0, 0.002);
        s.feedback("math-expert", "math", Optional.empty(), 0.2, 0.004);
        // (0.002 + 0.004) spent on rated answers, one of them good
        assertThat(s.costPerGoodAnswerUsd("math", "math-expert").getAsDouble()).isCloseTo(0.006, within(1e-12));
        s.feedback("math-expert", "math", Optional.empty(), 0.5, 0.006); // 0.5 is positive
        assertThat(s.costPerGoodAnswerUsd("math", "math-expert").getAsDouble()).isCloseTo(0.006, within(1e-12));

        RoutingScorecard.Row row = s.snapshot().rows().get(0);
        assertThat(row.answers()).isEqualTo(3);
        assertThat(row.spendUsd()).isCloseTo(0.106, within(1e-12));
        assertThat(row.savedUsd()).isCloseTo(0.018, within(1e-12));
        assertThat(row.rated()).isEqualTo(3);
        assertThat(row.positive()).isEqualTo(2);
    }

    @Test
    void correctionShareCountsOnlyRatingsNamingAnotherDomain() {
        RoutingScorecard s = new RoutingScorecard();
        s.feedback("code-expert", "code", Optional.of("math"), 0.3, 0.001);
        s.feedback("code-expert", "code", Optional.of("code"), 0.9, 0.001); // confirms, not a correction
        s.feedback("code-expert", "code", Optional.empty(), 0.9, 0.001);
        s.feedback("code-expert", "code", Optional.empty(), 0.9, 0.001);
        assertThat(s.correctionShare("code", "code-expert").getAsDouble()).isEqualTo(0.25);
        assertThat(s.correctionShare("math", "code-expert")).isEmpty();
    }

    @Test
    void failedRequestsCountInTheTrafficMixButNotAsAnswers() {
        RoutingScorecard s = new RoutingScorecard();
        s.outcome(outcome("legal", "legal-expert", 503, 0, 0));
        s.outcome(outcome("legal", "legal-expert", 200, 0.01, 0.02));
        s.outcome(outcome("medical", "med-expert", 200, 0.01, 0.02));
        s.outcome(outcome("unknown", "big-generalist", 200, 0.01, 0)); // no verdict: not in the mix
        assertThat(s.trafficShare("legal")).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(s.trafficShare("medical")).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(s.snapshot().classifiedRequests()).isEqualTo(3);
        assertThat(s.snapshot().rows()).filteredOn(r -> r.expert().equals("legal-expert")).singleElement()
                .satisfies(r -> assertThat(r.answers()).isEqualTo(1));
    }

    @Test
    void classMixSetsTrafficAgainstTheTrainingMix() {
        RoutingScorecard s = new RoutingScorecard();
        s.training(new TrainingMix("v9", Map.of("code", 30L, "math", 10L)));
        s.outcome(outcome("math", "math-expert", 200, 0, 0));
        var mix = s.snapshot().mixByDomain();
        assertThat(s.snapshot().trainingVersion()).isEqualTo("v9");
        assertThat(mix.get("math").trafficShare()).isEqualTo(1.0);
        assertThat(mix.get("math").trainingShare()).isEqualTo(0.25);
        assertThat(mix.get("code").requests()).isZero();
        assertThat(mix.get("code").trainingShare()).isEqualTo(0.75);
    }

    @Test
    void newPairsAreAnnouncedOnceAndTheirNumberIsBounded() {
        List<String> announced = new ArrayList<>();
        RoutingScorecard s = new RoutingScorecard((d, e) -> announced.add(d + "/" + e));
        s.outcome(outcome("math", "a", 200, 0, 0));
        s.outcome(outcome("math", "a", 200, 0, 0));
        s.feedback("a", "math", Optional.empty(), 1, 0);
        s.outcome(outcome("code", "a", 200, 0, 0));
        assertThat(announced).containsExactly("math/a", "code/a");
        for (int i = 0; i < RoutingScorecard.MAX_CELLS + 10; i++) {
            s.outcome(outcome("d" + (i % 100), "e" + i, 200, 0, 0));
        }
        assertThat(s.snapshot().rows()).hasSize(RoutingScorecard.MAX_CELLS);
    }

    @Test
    void shippedModelRecordsItsTrainingMix() {
        TrainingMix mix = TrainingMix.read(Path.of("router-models"), "v4").orElseThrow();
        assertThat(mix.version()).isEqualTo("v4");
        assertThat(mix.counts()).containsOnlyKeys("code", "finance", "general", "humanities", "legal", "math",
                "medical", "science");
        assertThat(mix.total()).isEqualTo(1883); // metadata.json: refit.examples, train + validation
        assertThat(mix.share("code")).isCloseTo(121 / 1883.0, within(1e-12));
        assertThat(TrainingMix.read(Path.of("router-models"), "no-such-version")).isEmpty();
    }
}
