package dev.expertrouter.routing.policy.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.testing.SharedData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The acceptance bar, on the shipped config and the MMLU validation split (required: see {@link SharedData}). */
class RoutingSimulationTest {

    @Test
    void balancedMatchesTheBestSingleExpertAtHalfItsCostWithTheStandInClassifier() {
        RouterConfig config = new ConfigLoader(name -> null).load(Path.of("config"));
        List<LabelledPrompt> prompts = LabelledPrompt.readJsonl(SharedData.file("mmlu/mmlu_val.jsonl"));
        RoutingSimulation sim = new RoutingSimulation(config, prompts,
                new NoisyOracleClassifier(prompts, ConfigLoader.BUILT_IN_DOMAINS, 42), 42);

        List<SimResult> results = sim.run();

        SimResult best = results.stream().filter(r -> r.name().startsWith("always best single")).findFirst().orElseThrow();
        SimResult balanced = results.stream().filter(r -> r.name().equals("balanced")).findFirst().orElseThrow();
        SimResult oracle = results.stream().filter(r -> r.name().equals("oracle")).findFirst().orElseThrow();
        assertThat(balanced.meanQuality()).isGreaterThanOrEqualTo(best.meanQuality());
        assertThat(balanced.costPer1k()).isLessThanOrEqualTo(0.5 * best.costPer1k());
        assertThat(balanced.meanQuality()).isLessThanOrEqualTo(oracle.meanQuality());
        assertThat(results).allSatisfy(r -> assertThat(r.unrouted()).isZero());
    }
}
