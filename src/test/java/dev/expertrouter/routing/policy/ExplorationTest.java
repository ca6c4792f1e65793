package dev.expertrouter.routing.policy;

import static dev.expertrouter.routing.policy.Fixtures.TENANT;
import static dev.expertrouter.routing.policy.Fixtures.config;
import static dev.expertrouter.routing.policy.Fixtures.expert;
import static dev.expertrouter.routing.policy.Fixtures.noEscalation;
import static dev.expertrouter.routing.policy.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExplorationTest {

    // with cost weight 0.1 "small" wins; "mid" costs 2x small, "big" 20x: only mid is within 3x
    static final ExpertConfig SMALL = expert("small", 1, 100, Map.of("general", 0.80));
    static final ExpertConfig MID = expert("mid", 2, 100, Map.of("general", 0.75));
    static final ExpertConfig BIG = expert("big", 20, 100, Map.of("general", 0.85));
    static final List<ExpertConfig> ALL = List.of(SMALL, MID, BIG);
    static final Classification GENERAL = new Classification("general", 1.0, Map.of("general", 1.0), "v", null);

    static PolicyConfig exploring(double share, double ratio) {
        return new PolicyConfig("p", Optional.empty(), "", new PolicyConfig.Weights(1, 0.1, 0), PolicyConfig.Limits.NONE,
                List.of(), List.of(), noEscalation(), List.of(), Optional.empty(), new PolicyConfig.Exploration(share, ratio));
    }

    static PolicyEngine engine(long seed) {
        return new PolicyEngine(ExpertAvailability.ALWAYS, new ExpertStats(), ExpertQualityEstimator.NONE,
                new QualityBlend(50), new Random(seed));
    }

    @Test
    void aSmallShareGoesToANonTopExpertWithinTheCostBoundAndIsMarked() {
        PolicyEngine engine = engine(42);
        Map<String, Integer> firsts = new HashMap<>();
        int explored = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            RoutingDecision d = engine.select(request(ALL, exploring(0.05, 3.0), GENERAL));
            firsts.merge(d.chosen().orElseThrow().expert(), 1, Integer::sum);
            if (d.exploration()) {
                explored++;
                assertThat(d.chosen().orElseThrow().expert()).isEqualTo("mid");
                // the policy's own choice stays next, so a failing explored expert falls back to it
                assertThat(d.eligible().get(1).expert()).isEqualTo("small");
            } else {
                assertThat(d.chosen().orElseThrow().expert()).isEqualTo("small");
            }
        }
        // binomial(20000, 0.05): sd 31, so +-150 is about 5 sd
        assertThat(explored).isBetween(850, 1150);
        assertThat(firsts).doesNotContainKey("big");
    }

    @Test
    void aLooserCostBoundLetsEveryNonTopExpertBeExplored() {
        PolicyEngine engine = engine(7);
        Map<String, Integer> explored = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            RoutingDecision d = engine.select(request(ALL, exploring(0.5, 100), GENERAL));
            if (d.exploration()) {
                explored.merge(d.chosen().orElseThrow().expert(), 1, Integer::sum);
            }
        }
        assertThat(explored.keySet()).containsExactlyInAnyOrder("mid", "big");
        assertThat(explored.values().stream().mapToInt(Integer::intValue).sum()).isBetween(1850, 2150);
    }

    @Test
    void forcedRequestsUnknownPromptsAndAZeroShareNeverExplore() {
        // a generator that always says "explore"
        java.util.random.RandomGenerator always = () -> 0L;
        PolicyEngine engine = new PolicyEngine(ExpertAvailability.ALWAYS, new ExpertStats(), ExpertQualityEstimator.NONE,
                new QualityBlend(50), always);
        PolicyConfig p = exploring(0.02, 3);
        RoutingRequest forced = new RoutingRequest(config(ALL, p), TENANT, p, GENERAL, Fixtures.INPUT_TOKENS,
                OptionalInt.empty(), OptionalDouble.empty(), OptionalLong.empty(), Optional.of("small"));

        assertThat(engine.select(request(ALL, p, GENERAL)).exploration()).isTrue();
        assertThat(engine.select(forced).exploration()).isFalse();
        assertThat(engine.select(request(ALL, p, Classification.unknown())).exploration()).isFalse();
        assertThat(engine.select(request(ALL, exploring(0, 3), GENERAL)).exploration()).isFalse();
    }
}
