package dev.expertrouter.bench.perceptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cascade sweep's accounting, on a planted world small enough to check by hand. */
class CascadeSweepTest {

    /**
     * 400 questions: the cheap expert slips (a wrong calculator annotation) on a third of them and
     * is then wrong; otherwise right. The strong expert is always right.
     */
    static List<BenchData.GsmItem> planted() {
        return planted(400);
    }

    /** {@code n} questions, the cheap expert slipping on every third (i % 3 == 0). */
    static List<BenchData.GsmItem> planted(int n) {
        Random r = new Random(7);
        List<BenchData.GsmItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int a = 2 + r.nextInt(40);
            int b = 2 + r.nextInt(40);
            boolean slip = i % 3 == 0;
            int sum = a + b + (slip ? 1 : 0);
            String cheap = "Together " + a + " + " + b + " = <<" + a + "+" + b + "=" + sum + ">>" + sum + ".\n#### " + sum;
            String strong = "Together they make " + (a + b) + ".\n#### " + (a + b);
            items.add(new BenchData.GsmItem("q" + i, "How many are " + a + " and " + b + " together?", true, !slip,
                    strong, cheap));
        }
        return items;
    }

    @Test
    void neverEscalatingCostsTheCheapExpertAloneAndAlwaysEscalatingPaysForBoth() {
        List<BenchData.GsmItem> items = planted();
        BenchWorld world = BenchWorld.gsm8k(items, null);
        CascadeSweep.Result r = CascadeSweep.run(items, world, 5, 1, List.of());
        int strong = world.experts().indexOf(BenchWorld.GPT4);
        int cheap = world.experts().indexOf(BenchWorld.MIXTRAL);
        double cheapCost = 0;
        double strongCost = 0;
        for (int q = 0; q < items.size(); q++) {
            cheapCost += 1000 * world.costUsd()[q][cheap] / items.size();
            strongCost += 1000 * world.costUsd()[q][strong] / items.size();
        }

        FrontierSweep.Point never = r.points().get(0);
        FrontierSweep.Point always = r.points().get(r.points().size() - 1);
        assertThat(never.quality()).isCloseTo(266 / 400.0, within(1e-9)); // 134 of 400 slipped
        assertThat(never.costPer1k()).isCloseTo(cheapCost, within(1e-9));
        assertThat(never.share()[strong]).isZero();
        assertThat(always.quality()).isEqualTo(1.0);
        assertThat(always.costPer1k()).isCloseTo(cheapCost + strongCost, within(1e-9));
        assertThat(always.share()[strong]).isEqualTo(1.0);
    }

    @Test
    void theVerifierFindsThePlantedSlipsSoFullQualityCostsOnlyTheSlipsEscalated() {
        List<BenchData.GsmItem> items = planted();
        BenchWorld world = BenchWorld.gsm8k(items, null);
        CascadeSweep.Result r = CascadeSweep.run(items, world, 5, 1, List.of());

        assertThat(r.heldOut().auc()).isGreaterThan(0.99);
        FrontierSweep.Point full = r.points().stream().filter(p -> p.quality() == 1.0)
                .min((x, y) -> Double.compare(x.costPer1k(), y.costPer1k())).orElseThrow();
        assertThat(full.share()[world.experts().indexOf(BenchWorld.GPT4)]).isCloseTo(134 / 400.0, within(1e-9));
    }

    @Test
    void theServedCascadeLearnsThroughTheReleaseAndSetsItsThresholdOnTheTrafficAlone(@TempDir Path scratch)
            throws IOException {
        // enough answers that the release's newest fifth holds 30 slips to judge the verifier by
        List<BenchData.GsmItem> items = planted(1000);
        BenchWorld world = BenchWorld.gsm8k(items, null);

        ServedCascade.Result r = ServedCascade.run(items, world, 5, 1, 0.99, scratch);

        assertThat(r.gates()).allMatch(g -> g.startsWith("gate passed"));
        assertThat(r.strongestQuality()).isCloseTo(1.0, within(1e-9));
        assertThat(r.qualityShare()).isGreaterThanOrEqualTo(0.97);
        // what it escalates is (at most) the slips: the rest is answered by the cheap expert alone
        assertThat(r.escalated()).isGreaterThan(0.25).isLessThanOrEqualTo(334 / 1000.0 + 0.02);
        assertThat(r.costCut()).isGreaterThan(0.5);
        assertThat(r.thresholds()).hasSize(5).allMatch(t -> t > 0 && t < 1);
    }
}
