package dev.expertrouter.bench.perceptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expertrouter.routing.Classification;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mappings chosen on the traffic, on a world small enough to check by hand. */
class TrafficMappingsTest {

    /**
     * 200 prompts, half algebra, half law. The cheap expert (0.1 USD / 1k) is always right on algebra and
     * never on law; the dear one (10 USD / 1k) always right.
     */
    static BenchWorld planted() {
        int n = 200;
        boolean[][] correct = new boolean[n][2];
        double[][] cost = new double[n][2];
        String[] domain = new String[n];
        for (int p = 0; p < n; p++) {
            domain[p] = p % 2 == 0 ? "algebra" : "law";
            correct[p][0] = p % 2 == 0;
            correct[p][1] = true;
            cost[p][0] = 0.0001;
            cost[p][1] = 0.01;
        }
        return new BenchWorld("planted", List.of("cheap", "dear"), new double[][] {{0.1, 0.1}, {10, 10}},
                Collections.nCopies(n, Classification.unknown()), new int[n], correct, cost, domain, "planted");
    }

    @Test
    void theMappingsFrontierRunsFromAllDearThroughCheapForAlgebraOnlyToAllCheap() {
        List<FrontierSweep.Point> frontier = PerceptiveBenchmark.pareto(TrafficMappings.frontier(planted(), 5, 3));

        assertThat(frontier).hasSize(2);
        // all cheap: half right at 0.1 USD / 1k
        assertThat(frontier.get(0).quality()).isCloseTo(0.5, within(1e-9));
        assertThat(frontier.get(0).costPer1k()).isCloseTo(0.1, within(1e-9));
        // cheap for algebra, dear for law: all right at the mean of both prices; all dear is dominated by it
        assertThat(frontier.get(1).quality()).isCloseTo(1.0, within(1e-9));
        assertThat(frontier.get(1).costPer1k()).isCloseTo(5.05, within(1e-9));
        assertThat(frontier.get(1).share()).containsExactly(new double[] {0.5, 0.5}, within(1e-9));
    }

    @Test
    void aMarginIsTheRouterFrontiersBestQualityAtNoMoreCostMinusTheMappings() {
        List<FrontierSweep.Point> mappings = List.of(new FrontierSweep.Point(0, 0.5, 1.0, new double[0]),
                new FrontierSweep.Point(0, 0.9, 3.0, new double[0]));
        List<FrontierSweep.Point> router = List.of(new FrontierSweep.Point(0, 0.6, 0.5, new double[0]),
                new FrontierSweep.Point(0, 0.85, 2.5, new double[0]));

        assertThat(TrafficMappings.margins(mappings, router)).containsExactly(new double[] {0.1, -0.05}, within(1e-12));
    }

    @Test
    void mixingTwoOperatingPointsReadsTheLineBetweenThem() {
        List<FrontierSweep.Point> router = List.of(new FrontierSweep.Point(0, 0.6, 1.0, new double[0]),
                new FrontierSweep.Point(0, 0.9, 3.0, new double[0]), new FrontierSweep.Point(0, 0.5, 0.5, new double[0]));

        assertThat(TrafficMappings.mixedQuality(router, 2.0)).isCloseTo(0.75, within(1e-12));
        assertThat(TrafficMappings.mixedQuality(router, 3.0)).isCloseTo(0.9, within(1e-12));
        assertThat(TrafficMappings.mixedQuality(router, 5.0)).isCloseTo(0.9, within(1e-12));
        assertThat(TrafficMappings.mixedQuality(router, 0.75)).isCloseTo(0.55, within(1e-12));
        assertThat(TrafficMappings.mixedQuality(router, 0.1)).isEqualTo(Double.NEGATIVE_INFINITY);
    }
}
