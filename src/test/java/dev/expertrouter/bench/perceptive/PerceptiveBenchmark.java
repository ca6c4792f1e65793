package dev.expertrouter.bench.perceptive;

import dev.expertrouter.Sha256;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.policy.ExpertQualityEstimator;
import dev.expertrouter.routing.policy.ExpertStats;
import dev.expertrouter.routing.policy.PolicyEngine;
import dev.expertrouter.routing.policy.QualityBlend;
import dev.expertrouter.routing.quality.QualityPredictor;
import dev.expertrouter.training.quality.QualityGate;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The perceptive-router benchmark: quality-vs-cost frontiers before learning (per-domain priors
 * from the traffic) and after (the quality predictor trained on the same traffic), on GSM8K with
 * two real experts and on MMLU with six simulated ones. In-process: real MiniLM embeddings and the
 * shipped router's domain scores, the real PolicyEngine, no HTTP. See bench/perceptive/README.md.
 */
public final class PerceptiveBenchmark {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(arg(args, "--data", "../../shared/data"));
        Path out = Path.of(arg(args, "--out", "bench/perceptive/results"));
        int folds = Integer.parseInt(arg(args, "--folds", "5"));
        long seed = Long.parseLong(arg(args, "--seed", "42"));
        Path cache = Path.of("target/perceptive-cache");
        Path models = Path.of("router-models");
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder("# Perceptive router benchmark\n\n");
        md.append("Command: `bench/perceptive/run.sh ").append(String.join(" ", args)).append("`  \n");
        md.append(String.format(Locale.ROOT, "Folds: %d, seed %d, router model %s, %s, %d cores%n%n", folds, seed,
                Files.readString(models.resolve("current")).strip(), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));

        Path gsmFile = data.resolve("gsm8k/gsm8k_test_gpt4_mixtral.jsonl");
        List<BenchData.GsmItem> gsm = BenchData.gsm8k(gsmFile);
        List<Classification> gsmPrompts = ClassifiedPrompts.of(gsm.stream().map(BenchData.GsmItem::question).toList(),
                models, cache, "gsm8k");
        BenchWorld gsmWorld = BenchWorld.gsm8k(gsm, gsmPrompts);
        md.append("Data: `").append(gsmFile).append("` sha256 ").append(Sha256.of(gsmFile)).append("  \n");

        Path mmluFile = data.resolve("mmlu/mmlu_val.jsonl");
        Path accFile = data.resolve("mmlu/mmlu_per_subject_model_accuracy.csv");
        List<BenchData.MmluItem> mmlu = BenchData.mmlu(mmluFile);
        List<Classification> mmluPrompts = ClassifiedPrompts.of(mmlu.stream().map(BenchData.MmluItem::prompt).toList(),
                models, cache, "mmlu");
        BenchWorld mmluWorld = BenchWorld.mmlu(mmlu, mmluPrompts, accFile, seed);
        md.append("Data: `").append(mmluFile).append("` sha256 ").append(Sha256.of(mmluFile)).append("  \n");
        md.append("Data: `").append(accFile).append("` sha256 ").append(Sha256.of(accFile)).append("\n\n");

        for (BenchWorld world : List.of(gsmWorld, mmluWorld)) {
            System.err.println("== " + world.name());
            FrontierSweep.Result r = FrontierSweep.run(world, folds, seed, System.err);
            report(world, r, md);
            if (world == gsmWorld) {
                double[] strongest = CascadeSweep.strongest(world);
                CascadeSweep.Result alone = CascadeSweep.run(gsm, world, folds, seed, List.of());
                CascadeSweep.Result combined = CascadeSweep.run(gsm, world, folds, seed, r.predictors());
                CascadeSweep.report("Verify-then-escalate cascade, by the answer alone", world, gsm, alone, strongest[1],
                        0.95 * strongest[0], md);
                CascadeSweep.report("Verify-then-escalate cascade, by the answer and the prompt", world, gsm, combined,
                        strongest[1], 0.95 * strongest[0], md);
                CascadeSweep.csv(world, alone, combined, out.resolve(world.name() + "-cascade.csv"));
                md.append(String.format(Locale.ROOT, "The same checks on GPT-4's answers (another style: no calculator "
                        + "annotations, no `####`), a verifier per fold, pooled held-out AUC: %.4f. The checks were chosen "
                        + "by reading Mixtral's answers only.%n%n", CascadeSweep.strongAnswersAuc(gsm, folds, seed)));
            }
            if (world == mmluWorld) {
                mappings(world, r, md);
                TrafficMappings.report(world, r, folds, seed, md);
            }
            latency(world, r, md);
            csv(world, r, out.resolve(world.name() + ".csv"));
        }
        Files.writeString(out.resolve("results.md"), md.toString());
        System.out.println(md);
    }

    static void report(BenchWorld world, FrontierSweep.Result r, StringBuilder md) {
        md.append("## ").append(world.name()).append("\n\n").append(world.howBuilt()).append(".\n\n");
        md.append(String.format(Locale.ROOT, "Rated outcomes learned from per fold: %,d (every expert's answer to each "
                + "traffic prompt); evaluation on the held-out fold, all %d folds pooled.%n%n", r.ratedPerFold(),
                r.gates().size()));
        md.append("| expert | quality | USD / 1k req |\n|---|---:|---:|\n");
        int n = world.prompts().size();
        int strongest = 0;
        double[] q = new double[world.experts().size()];
        double[] c = new double[world.experts().size()];
        for (int e = 0; e < q.length; e++) {
            for (int p = 0; p < n; p++) {
                q[e] += world.correct()[p][e] ? 1.0 / n : 0;
                c[e] += 1000 * world.costUsd()[p][e] / n;
            }
            strongest = q[e] > q[strongest] ? e : strongest;
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f |%n", world.experts().get(e), q[e], c[e]));
        }
        double target = 0.95 * q[strongest];
        md.append(String.format(Locale.ROOT, "%nStrongest single expert: %s (quality %.4f, %.4f USD / 1k); 95%% of its "
                + "quality = %.4f.%n%n", world.experts().get(strongest), q[strongest], c[strongest], target));
        md.append("| router | cost cut at 95% of the strongest's quality | quality there | USD / 1k there | best quality on the frontier |\n|---|---:|---:|---:|---:|\n");
        for (String name : List.of("before learning (per-domain priors)", "after learning (quality predictor)")) {
            List<FrontierSweep.Point> pts = name.startsWith("before") ? r.before() : r.after();
            FrontierSweep.Point cheapest = pts.stream().filter(p -> p.quality() >= target)
                    .min((a, b) -> Double.compare(a.costPer1k(), b.costPer1k())).orElse(null);
            double best = pts.stream().mapToDouble(FrontierSweep.Point::quality).max().orElse(0);
            md.append(cheapest == null
                    ? String.format(Locale.ROOT, "| %s | not reached | - | - | %.4f |%n", name, best)
                    : String.format(Locale.ROOT, "| %s | **%.1f%%** | %.4f | %.4f | %.4f |%n", name,
                            100 * (1 - cheapest.costPer1k() / c[strongest]), cheapest.quality(), cheapest.costPer1k(), best));
        }
        md.append("\nFrontier (Pareto points of the cost-weight sweep; weight = quality points per 10x cost):\n\n");
        md.append("| router | cost weight | quality | vs strongest | USD / 1k | vs strongest | share per expert |\n|---|---:|---:|---:|---:|---:|---|\n");
        for (String name : List.of("before", "after")) {
            for (FrontierSweep.Point p : pareto(name.equals("before") ? r.before() : r.after())) {
                md.append(String.format(Locale.ROOT, "| %s | %.4g | %.4f | %.1f%% | %.4f | %.1f%% | %s |%n", name,
                        p.costWeight(), p.quality(), 100 * p.quality() / q[strongest], p.costPer1k(),
                        100 * p.costPer1k() / c[strongest], shares(world, p)));
            }
        }
        md.append("\nQuality-predictor gate per fold (held-out = the newest 20% of that fold's rated outcomes, vs the per-domain baseline):\n\n");
        md.append("| fold | passed | log loss (baseline) | AUC (baseline) | ECE (baseline) | flips -/+ |\n|---|---|---|---|---|---|\n");
        for (int f = 0; f < r.gates().size(); f++) {
            QualityGate.Report g = r.gates().get(f);
            md.append(String.format(Locale.ROOT, "| %d | %s | %.4f (%.4f) | %.4f (%.4f) | %.4f (%.4f) | %d/%d |%n", f,
                    g.passed() ? "yes" : "no: " + g.failures(), g.candidate().logLoss(), g.baseline().logLoss(),
                    g.candidate().auc(), g.baseline().auc(), g.candidate().ece(), g.baseline().ece(), g.negativeFlips(),
                    g.positiveFlips()));
        }
        md.append('\n');
    }

    /** Fixed true-domain -> expert mappings, every one of them, against the after-learning frontier. */
    static void mappings(BenchWorld world, FrontierSweep.Result r, StringBuilder md) {
        List<String> domains = Arrays.stream(world.trueDomain()).distinct().sorted().toList();
        int e = world.experts().size();
        int n = world.prompts().size();
        double[][] dq = new double[domains.size()][e];
        double[][] dc = new double[domains.size()][e];
        for (int p = 0; p < n; p++) {
            int d = domains.indexOf(world.trueDomain()[p]);
            for (int x = 0; x < e; x++) {
                dq[d][x] += world.correct()[p][x] ? 1.0 / n : 0;
                dc[d][x] += 1000 * world.costUsd()[p][x] / n;
            }
        }
        List<FrontierSweep.Point> frontier = pareto(r.after());
        long total = 1;
        for (int i = 0; i < domains.size(); i++) {
            total *= e;
        }
        long undominated = 0;
        double minMargin = Double.POSITIVE_INFINITY;
        double[] margins = new double[(int) total];
        int[] digit = new int[domains.size()];
        for (long m = 0; m < total; m++) {
            long v = m;
            double quality = 0;
            double cost = 0;
            for (int d = 0; d < domains.size(); d++) {
                digit[d] = (int) (v % e);
                v /= e;
                quality += dq[d][digit[d]];
                cost += dc[d][digit[d]];
            }
            double best = Double.NEGATIVE_INFINITY;
            for (FrontierSweep.Point p : frontier) {
                if (p.costPer1k() <= cost + 1e-12) {
                    best = Math.max(best, p.quality());
                }
            }
            double margin = best - quality;
            margins[(int) m] = margin;
            if (margin < -1e-12) {
                undominated++;
            }
            minMargin = Math.min(minMargin, margin);
        }
        Arrays.sort(margins);
        md.append(String.format(Locale.ROOT, "Fixed domain -> expert mappings (all %,d over the %d MMLU domains, priced "
                + "and scored on all prompts): %,d are not dominated by the after-learning frontier (a frontier point "
                + "with at least their quality at no more cost). Quality margin of the frontier at each mapping's cost: "
                + "min %.4f, median %.4f, 90th percentile %.4f.%n%n", total, domains.size(), undominated, minMargin,
                margins[margins.length / 2], margins[(int) (margins.length * 0.9)]));
        // the best mapping that could be chosen in hindsight for each budget vs the frontier at that budget
        md.append("Best fixed mapping (chosen in hindsight on the evaluation data) within the cost of each after-learning frontier point:\n\n");
        md.append("| USD / 1k | frontier quality | best mapping quality at <= that cost |\n|---:|---:|---:|\n");
        for (FrontierSweep.Point p : frontier) {
            double best = 0;
            for (long m = 0; m < total; m++) {
                long v = m;
                double quality = 0;
                double cost = 0;
                for (int d = 0; d < domains.size(); d++) {
                    int x = (int) (v % e);
                    v /= e;
                    quality += dq[d][x];
                    cost += dc[d][x];
                }
                if (cost <= p.costPer1k() + 1e-12) {
                    best = Math.max(best, quality);
                }
            }
            md.append(String.format(Locale.ROOT, "| %.4f | %.4f | %.4f |%n", p.costPer1k(), p.quality(), best));
        }
        md.append('\n');
    }

    /** Per-decision cost of the predictor and of the whole policy decision with and without it. */
    static void latency(BenchWorld world, FrontierSweep.Result r, StringBuilder md) {
        QualityPredictor predictor = r.predictors().get(0);
        RouterConfig cfg = r.configs().get(0);
        PolicyConfig policy = FrontierSweep.policy(0.1);
        RouterConfig withPolicy = new RouterConfig(cfg.experts(), List.of(policy), "p", cfg.tenants());
        PolicyEngine plain = new PolicyEngine(ExpertAvailability.ALWAYS, new ExpertStats(), ExpertQualityEstimator.NONE,
                new QualityBlend(50), new Random(1));
        PolicyEngine perceptive = new PolicyEngine(ExpertAvailability.ALWAYS, new ExpertStats(), predictor,
                new QualityBlend(50), new Random(1));
        int n = world.prompts().size();
        int rounds = 20_000;
        long[] tPredict = new long[rounds];
        long[] tPlain = new long[rounds];
        long[] tPerceptive = new long[rounds];
        double sink = 0;
        for (int i = 0; i < rounds * 2; i++) {
            int q = i % n;
            var req = FrontierSweep.request(withPolicy, policy, world, q);
            long t0 = System.nanoTime();
            sink += predictor.forPrompt(world.prompts().get(q), world.inputTokens()[q]).evidence(world.experts().get(0));
            long t1 = System.nanoTime();
            sink += plain.select(req).candidates().size();
            long t2 = System.nanoTime();
            sink += perceptive.select(req).candidates().size();
            long t3 = System.nanoTime();
            if (i >= rounds) {
                tPredict[i - rounds] = t1 - t0;
                tPlain[i - rounds] = t2 - t1;
                tPerceptive[i - rounds] = t3 - t2;
            }
        }
        Arrays.sort(tPredict);
        Arrays.sort(tPlain);
        Arrays.sort(tPerceptive);
        md.append(String.format(Locale.ROOT, "Decision latency (%d experts, %,d decisions after %,d warm-up, one thread, on a "
                + "machine shared with other jobs): predictor forward pass p50 %.1f us, p99 %.1f us; whole policy decision "
                + "without predictor p50 %.1f / p99 %.1f us, with it p50 %.1f / p99 %.1f us.%s%n%n", world.experts().size(),
                rounds, rounds, tPredict[rounds / 2] / 1e3, tPredict[rounds * 99 / 100] / 1e3, tPlain[rounds / 2] / 1e3,
                tPlain[rounds * 99 / 100] / 1e3, tPerceptive[rounds / 2] / 1e3, tPerceptive[rounds * 99 / 100] / 1e3,
                sink == 42 ? " " : ""));
    }

    static List<FrontierSweep.Point> pareto(List<FrontierSweep.Point> pts) {
        List<FrontierSweep.Point> sorted = new ArrayList<>(pts);
        sorted.sort((a, b) -> a.costPer1k() != b.costPer1k() ? Double.compare(a.costPer1k(), b.costPer1k())
                : Double.compare(b.quality(), a.quality()));
        List<FrontierSweep.Point> out = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (FrontierSweep.Point p : sorted) {
            if (p.quality() > best + 1e-12) {
                out.add(p);
                best = p.quality();
            }
        }
        return out;
    }

    static String shares(BenchWorld world, FrontierSweep.Point p) {
        List<String> parts = new ArrayList<>();
        for (int e = 0; e < p.share().length; e++) {
            if (p.share()[e] >= 0.005) {
                parts.add(String.format(Locale.ROOT, "%s %.0f%%", world.experts().get(e), 100 * p.share()[e]));
            }
        }
        return String.join(", ", parts);
    }

    static void csv(BenchWorld world, FrontierSweep.Result r, Path file) throws java.io.IOException {
        StringBuilder s = new StringBuilder("router,cost_weight,quality,usd_per_1k\n");
        for (FrontierSweep.Point p : r.before()) {
            s.append(String.format(Locale.ROOT, "before,%.6g,%.6f,%.6f%n", p.costWeight(), p.quality(), p.costPer1k()));
        }
        for (FrontierSweep.Point p : r.after()) {
            s.append(String.format(Locale.ROOT, "after,%.6g,%.6f,%.6f%n", p.costWeight(), p.quality(), p.costPer1k()));
        }
        Files.writeString(file, s.toString());
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
