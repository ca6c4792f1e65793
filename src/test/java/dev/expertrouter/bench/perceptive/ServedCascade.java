package dev.expertrouter.bench.perceptive;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.quality.AnswerChecks;
import dev.expertrouter.routing.quality.AnswerVerifier;
import dev.expertrouter.routing.quality.AnswerVerifierFiles;
import dev.expertrouter.training.quality.QualityDataset;
import dev.expertrouter.training.quality.VerifierRelease;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * Verify-then-escalate as the gateway serves it, on GSM8K, with nothing chosen by looking at the
 * evaluation prompts: per fold, the traffic folds' Mixtral answers become rated outcomes carrying
 * their {@link AnswerChecks} (feedback 1 when the answer was right, 0 when not); the retrain's
 * {@link VerifierRelease} fits, gates and writes the verifier into a version directory, which is
 * read back as the gateway reads it ({@link AnswerVerifierFiles}); the policy's threshold is set
 * on the traffic alone, as the lowest one whose cascade reaches the target share of GPT-4's
 * quality there, judged by the served verifier itself (most of those answers are ones it learned
 * from, so the threshold comes out a little optimistic: what the targets above 95% buy back); then the held-out fold is answered: Mixtral first, escalated to GPT-4 below the
 * threshold, both paid for. Pooled over folds, every question is judged once by a verifier and a
 * threshold that never saw it.
 *
 * <p>{@code java -cp ... dev.expertrouter.bench.perceptive.ServedCascade [--data DIR]}: five fold
 * seeds, targets 95%, 95.5% and 96% of GPT-4's quality on the traffic.
 */
final class ServedCascade {

    /** One seed's held-out result. */
    record Result(long seed, double target, double quality, double strongestQuality, double costPer1k,
            double strongestCostPer1k, double escalated, List<Double> thresholds, List<String> gates,
            com.fasterxml.jackson.databind.JsonNode firstFoldTable) {

        double qualityShare() {
            return quality / strongestQuality;
        }

        double costCut() {
            return 1 - costPer1k / strongestCostPer1k;
        }
    }

    private ServedCascade() {
    }

    static Result run(List<BenchData.GsmItem> items, BenchWorld world, int folds, long seed, double target, Path scratch)
            throws IOException {
        int n = items.size();
        int[] fold = FrontierSweep.folds(n, folds, seed);
        double[][] checks = new double[n][];
        for (int q = 0; q < n; q++) {
            checks[q] = AnswerChecks.of(items.get(q).question(), items.get(q).mixtralAnswer());
        }
        int strong = world.experts().indexOf(BenchWorld.GPT4);
        int cheap = world.experts().indexOf(BenchWorld.MIXTRAL);
        // the order traffic arrived in: seeded, so the release's chronological held-out share is a random one
        List<Integer> arrival = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            arrival.add(q);
        }
        Collections.shuffle(arrival, new Random(seed + 7));
        double quality = 0;
        double cost = 0;
        double escalated = 0;
        List<Double> thresholds = new ArrayList<>();
        List<String> gates = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode table = null;
        for (int f = 0; f < folds; f++) {
            List<Integer> traffic = new ArrayList<>();
            List<RatedOutcome> rated = new ArrayList<>();
            for (int q : arrival) {
                if (fold[q] != f) {
                    traffic.add(q);
                    rated.add(rated(rated.size(), checks[q], world.correct()[q][cheap]));
                }
            }
            Path version = Files.createDirectories(scratch.resolve("seed" + seed + "-fold" + f));
            VerifierRelease.Report report = new VerifierRelease(new VerifierRelease.Settings(
                    VerifierRelease.Settings.DEFAULT_MIN_RATED_ANSWERS, VerifierRelease.Settings.DEFAULT_MIN_AUC,
                    VerifierRelease.Settings.DEFAULT_MAX_AUC_DROP, QualityDataset.Labelling.DEFAULTS, 0.2, 100_000),
                    t -> OptionalDouble.of(1), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .run(Optional.of(rated), version, Map.of());
            gates.add(report.experts().get(0).reason());
            if (table == null) {
                table = report.experts().get(0).thresholds();
            }
            AnswerVerifier verifier = AnswerVerifierFiles.loadIfPresent(version).get(BenchWorld.MIXTRAL).verifier();
            double[] judged = traffic.stream().mapToDouble(q -> verifier.probability(checks[q])).toArray();
            double threshold = threshold(judged, traffic, world, strong, cheap, target);
            thresholds.add(threshold);
            for (int q = 0; q < n; q++) {
                if (fold[q] == f) {
                    boolean escalate = verifier.probability(checks[q]) < threshold;
                    quality += world.correct()[q][escalate ? strong : cheap] ? 1 : 0;
                    cost += world.costUsd()[q][cheap] + (escalate ? world.costUsd()[q][strong] : 0);
                    escalated += escalate ? 1 : 0;
                }
            }
        }
        double[] strongest = CascadeSweep.strongest(world);
        return new Result(seed, target, quality / n, strongest[0], 1000 * cost / n, strongest[1], escalated / n,
                List.copyOf(thresholds), List.copyOf(gates), table);
    }

    /**
     * The lowest threshold (in steps of 0.0025) whose cascade, on the traffic itself, reaches
     * {@code target} times GPT-4's quality on the same prompts: what an operator would set from the
     * rated outcomes at hand.
     *
     * @param p the served verifier's P(good) of each traffic answer, in traffic order
     */
    static double threshold(double[] p, List<Integer> traffic, BenchWorld world, int strong, int cheap, double target) {
        double strongQuality = 0;
        for (int q : traffic) {
            strongQuality += world.correct()[q][strong] ? 1 : 0;
        }
        for (int step = 1; step <= 396; step++) {
            double t = step / 400.0;
            double correct = 0;
            for (int i = 0; i < p.length; i++) {
                correct += world.correct()[traffic.get(i)][p[i] < t ? strong : cheap] ? 1 : 0;
            }
            if (correct >= target * strongQuality) {
                return t;
            }
        }
        return 0.99;
    }

    private static RatedOutcome rated(int i, double[] checks, boolean good) {
        Instant time = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i);
        String id = "gsm8k-" + i;
        OutcomeRecord o = new OutcomeRecord(id, time, "bench", "verifying", "v4", "math", 1.0, Map.of("math", 1.0), false,
                BenchWorld.MIXTRAL, List.of(BenchWorld.MIXTRAL), List.of(), 200, null, 200, false, 0, 0, 0, 0, 0, null, null,
                null, 0, null, false, null, false, checks);
        return new RatedOutcome(o, Optional.of(new Feedback(id, "bench", BenchWorld.MIXTRAL, "math", Optional.empty(),
                good ? 1.0 : 0.0, Feedback.Source.USER, time)));
    }

    static String report(List<Result> results) {
        StringBuilder md = new StringBuilder();
        md.append("| target on the traffic | seed | held-out quality vs GPT-4 | cost cut | escalated | thresholds per fold |\n");
        md.append("|---:|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %.1f%% | %d | %.1f%% | %.1f%% | %.1f%% | %s |%n", 100 * r.target(), r.seed(),
                    100 * r.qualityShare(), 100 * r.costCut(), 100 * r.escalated(),
                    r.thresholds().stream().map(t -> String.format(Locale.ROOT, "%.4f", t)).toList()));
        }
        return md.toString();
    }

    /** A share as a percentage, or "-" when there was nothing to count. */
    private static String percent(com.fasterxml.jackson.databind.JsonNode share) {
        return share.isNumber() ? String.format(Locale.ROOT, "%.1f%%", 100 * share.asDouble()) : "-";
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 1 && args[0].equals("--data") ? args[1] : "../shared/data");
        List<BenchData.GsmItem> items = BenchData.gsm8k(data.resolve("gsm8k/gsm8k_test_gpt4_mixtral.jsonl"));
        BenchWorld world = BenchWorld.gsm8k(items, null);
        Path scratch = Files.createTempDirectory("served-cascade");
        List<Result> results = new ArrayList<>();
        for (double target : new double[] {0.95, 0.955, 0.96}) {
            for (long seed : new long[] {42, 1, 2, 3, 4}) {
                results.add(run(items, world, 5, seed, target, scratch));
            }
        }
        System.out.println(report(results));
        for (double target : new double[] {0.95, 0.955, 0.96}) {
            List<Result> r = results.stream().filter(x -> x.target() == target).toList();
            System.out.printf(Locale.ROOT, "target %.1f%%: mean held-out quality %.1f%% of GPT-4, mean cost cut %.1f%%%n",
                    100 * target, 100 * r.stream().mapToDouble(Result::qualityShare).average().orElseThrow(),
                    100 * r.stream().mapToDouble(Result::costCut).average().orElseThrow());
        }
        System.out.println("gates: " + results.get(0).gates());
        System.out.println("\nWhat the retrain reports to choose a threshold by (seed 42, fold 0, the gate's held-out answers):\n");
        System.out.println("| threshold | escalated | good among kept | good among escalated |\n|---:|---:|---:|---:|");
        for (com.fasterxml.jackson.databind.JsonNode row : results.get(0).firstFoldTable()) {
            System.out.printf(Locale.ROOT, "| %.1f | %.1f%% | %s | %s |%n", row.path("threshold").asDouble(),
                    100 * row.path("escalated").asDouble(), percent(row.path("goodAmongKept")),
                    percent(row.path("goodAmongEscalated")));
        }
    }
}
