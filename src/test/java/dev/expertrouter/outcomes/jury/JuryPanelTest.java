package dev.expertrouter.outcomes.jury;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JuryPanelTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    static OutcomeRecord answered(int i, double costUsd) {
        return new OutcomeRecord("r" + i, CLOCK.instant(), "t", "p", "v", "math", 0.9, Map.of("math", 1.0), false, "cheap",
                List.of("cheap"), List.of(), 200, null, 200, false, 10, 10, 10, costUsd, 0, "sha", null, null, 5, null,
                false, null, false);
    }

    static Judge fixed(String id, double score, double cost) {
        return new Judge() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Optional<Verdict> judge(String prompt, String answer) {
                return Optional.of(new Verdict(score, cost));
            }
        };
    }

    @Test
    void thePanelAveragesItsJudgesAndMarksTheFeedbackAsJury() {
        JuryPanel panel = new JuryPanel(List.of(fixed("a", 0.9, 0.001), fixed("b", 0.6, 0.001), fixed("c", 0.3, 0.001)),
                1.0, 1.0, new Random(1), CLOCK);

        Feedback f = panel.consider(answered(1, 0.01), "2+2?", "4").orElseThrow();

        assertThat(f.score()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(f.source()).isEqualTo(Feedback.Source.JURY);
        assertThat(f.requestId()).isEqualTo("r1");
        assertThat(f.expert()).isEqualTo("cheap");
    }

    @Test
    void juryCostStaysWithinItsShareOfTrafficSpend() {
        // every request sampled; each panel costs 0.003 USD, traffic 0.01 USD per request; cap 5%
        JuryPanel panel = new JuryPanel(List.of(fixed("a", 1, 0.001), fixed("b", 1, 0.001), fixed("c", 1, 0.001)),
                1.0, 0.05, new Random(1), CLOCK);
        int judged = 0;
        for (int i = 0; i < 10_000; i++) {
            if (panel.consider(answered(i, 0.01), "q", "a").isPresent()) {
                judged++;
            }
            assertThat(panel.juryUsd()).isLessThanOrEqualTo(0.05 * panel.trafficUsd() + 0.003);
        }
        // the budget, not the sample share, limits it: about 5% x 100 USD / 0.003 USD
        assertThat(judged).isBetween(1600, 1670);
    }

    @Test
    void onlyTheSampledShareOfAnsweredRequestsIsJudged() {
        JuryPanel panel = new JuryPanel(List.of(fixed("a", 1, 0)), 0.1, 1.0, new Random(5), CLOCK);
        int judged = 0;
        for (int i = 0; i < 10_000; i++) {
            judged += panel.consider(answered(i, 0.01), "q", "a").isPresent() ? 1 : 0;
        }
        OutcomeRecord failed = new OutcomeRecord("x", CLOCK.instant(), "t", "p", "v", "math", 0.9, Map.of(), false, "cheap",
                List.of(), List.of(), 502, "upstream_error", 500, false, 10, 10, 0, 0, 0, "sha", null, null, 0, null, false,
                null, false);

        assertThat(judged).isBetween(900, 1100);
        assertThat(new JuryPanel(List.of(fixed("a", 1, 0)), 1.0, 1.0, new Random(5), CLOCK).consider(failed, "q", "a"))
                .isEmpty();
    }

    @Test
    void anOutcomeWithoutADomainIsRatedUnderUnknownAndOverBudgetSamplesAreCounted() {
        JuryPanel panel = new JuryPanel(List.of(fixed("a", 0.7, 0.02)), 1.0, 0.5, new Random(5), CLOCK);
        OutcomeRecord o = answered(1, 0.01);
        OutcomeRecord noDomain = new OutcomeRecord("r-x", o.time(), "t", "p", "v", null, 0, Map.of(), true, "cheap",
                List.of("cheap"), List.of(), 200, null, 200, false, 10, 10, 10, 0.01, 0, "sha", null, null, 5, null,
                false, null, false);
        assertThat(panel.consider(noDomain, "q", "a").orElseThrow().routedDomain()).isEqualTo("unknown");
        // the jury spent 0.02 on 0.01 of traffic: the next sample waits until traffic catches up
        assertThat(panel.admit(o, true)).isFalse();
        assertThat(panel.overBudget()).isEqualTo(1);
        assertThat(panel.admit(answered(2, 0.2), true)).isTrue();
    }
}
