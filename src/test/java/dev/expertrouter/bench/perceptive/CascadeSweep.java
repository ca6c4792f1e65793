package dev.expertrouter.bench.perceptive;

import dev.expertrouter.routing.quality.AnswerChecks;
import dev.expertrouter.routing.quality.AnswerVerifier;
import dev.expertrouter.routing.quality.QualityPredictor;
import dev.expertrouter.training.quality.AnswerVerifierTrainer;
import dev.expertrouter.training.quality.QualityMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Verify-then-escalate on GSM8K, with the same folds as {@link FrontierSweep}: the cheap expert
 * (Mixtral) answers every prompt; an {@link AnswerVerifier} trained on the traffic folds' rated
 * Mixtral answers judges the answer; below the acceptance threshold the prompt is escalated to
 * GPT-4, and then both answers are paid for. The threshold is swept from 0 (never escalate) to
 * above 1 (always), giving the frontier. Real answers, real correctness, real answer lengths.
 *
 * <p>Alone (seconds, no embeddings): {@code java -cp ... dev.expertrouter.bench.perceptive.CascadeSweep [--data DIR]}.
 */
final class CascadeSweep {

    static final double[] THRESHOLDS = thresholds();

    /** @param verifiers one per fold; heldOut the pooled held-out metrics of their P(good) */
    record Result(List<FrontierSweep.Point> points, List<QualityMetrics> perFold, QualityMetrics heldOut,
            List<AnswerVerifier> verifiers, boolean combined) {
    }

    private static double[] thresholds() {
        double[] t = new double[402];
        for (int i = 0; i <= 400; i++) {
            t[i] = i / 400.0;
        }
        t[401] = 1.01;
        return t;
    }

    /**
     * @param prompt per fold, the quality predictor learned from the same traffic, or an empty list
     *               to judge by the answer alone; when given, the answer's and the prompt's evidence
     *               are combined as independent: logit = logit(answer) + logit(prompt) - logit(base rate)
     */
    static Result run(List<BenchData.GsmItem> items, BenchWorld world, int folds, long seed,
            List<QualityPredictor> prompt) {
        int n = items.size();
        int[] fold = FrontierSweep.folds(n, folds, seed);
        double[][] features = new double[n][];
        boolean[] good = new boolean[n];
        for (int q = 0; q < n; q++) {
            features[q] = AnswerChecks.of(items.get(q).question(), items.get(q).mixtralAnswer());
            good[q] = items.get(q).mixtral();
        }
        int strong = world.experts().indexOf(BenchWorld.GPT4);
        int cheap = world.experts().indexOf(BenchWorld.MIXTRAL);
        double[][] acc = new double[THRESHOLDS.length][2 + 2];
        HeldOut held = heldOut(BenchWorld.MIXTRAL, features, good, fold, folds);
        double[] p = held.p();
        List<QualityMetrics> perFold = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            List<Integer> eval = new ArrayList<>();
            int trainGood = 0;
            for (int q = 0; q < n; q++) {
                if (fold[q] == f) {
                    eval.add(q);
                } else {
                    trainGood += good[q] ? 1 : 0;
                }
            }
            double baseRate = (double) trainGood / (n - eval.size());
            double[] fp = new double[eval.size()];
            boolean[] fy = new boolean[eval.size()];
            for (int i = 0; i < eval.size(); i++) {
                int q = eval.get(i);
                if (!prompt.isEmpty()) {
                    double fromPrompt = prompt.get(f).forPrompt(world.prompts().get(q), world.inputTokens()[q])
                            .predicted(BenchWorld.MIXTRAL).orElseThrow();
                    p[q] = sigmoid(logit(p[q]) + logit(fromPrompt) - logit(baseRate));
                }
                fp[i] = p[q];
                fy[i] = good[q];
            }
            perFold.add(QualityMetrics.of(fp, fy, ones(fp.length)));
            for (int t = 0; t < THRESHOLDS.length; t++) {
                for (int q : eval) {
                    boolean escalate = p[q] < THRESHOLDS[t];
                    int answered = escalate ? strong : cheap;
                    acc[t][0] += world.correct()[q][answered] ? 1 : 0;
                    acc[t][1] += world.costUsd()[q][cheap] + (escalate ? world.costUsd()[q][strong] : 0);
                    acc[t][2 + answered] += 1;
                }
            }
        }
        List<FrontierSweep.Point> points = new ArrayList<>();
        for (int t = 0; t < THRESHOLDS.length; t++) {
            points.add(new FrontierSweep.Point(THRESHOLDS[t], acc[t][0] / n, 1000 * acc[t][1] / n,
                    new double[] {acc[t][2] / n, acc[t][3] / n}));
        }
        return new Result(points, perFold, QualityMetrics.of(p, good, ones(n)), held.verifiers(), !prompt.isEmpty());
    }

    /**
     * The same checks judging GPT-4's answers (another model's style: no calculator annotations,
     * no "####"), a verifier per fold, pooled held-out AUC: whether the checks carry over.
     */
    static double strongAnswersAuc(List<BenchData.GsmItem> items, int folds, long seed) {
        int n = items.size();
        int[] fold = FrontierSweep.folds(n, folds, seed);
        double[][] x = new double[n][];
        boolean[] y = new boolean[n];
        for (int q = 0; q < n; q++) {
            x[q] = AnswerChecks.of(items.get(q).question(), items.get(q).gpt4Answer());
            y[q] = items.get(q).gpt4();
        }
        double[] p = heldOut(BenchWorld.GPT4, x, y, fold, folds).p();
        return QualityMetrics.of(p, y, ones(n)).auc();
    }

    /** Each answer's P(good) from the fold's verifier, which never saw it; the verifiers in fold order. */
    record HeldOut(double[] p, List<AnswerVerifier> verifiers) {
    }

    /** Per fold, a verifier fitted on the other folds' answers, judging the fold's own. */
    static HeldOut heldOut(String expert, double[][] x, boolean[] good, int[] fold, int folds) {
        int n = x.length;
        double[] p = new double[n];
        List<AnswerVerifier> verifiers = new ArrayList<>();
        AnswerVerifierTrainer trainer = new AnswerVerifierTrainer(1e-3);
        for (int f = 0; f < folds; f++) {
            List<Integer> train = new ArrayList<>();
            for (int q = 0; q < n; q++) {
                if (fold[q] != f) {
                    train.add(q);
                }
            }
            double[][] tx = new double[train.size()][];
            boolean[] ty = new boolean[train.size()];
            for (int i = 0; i < ty.length; i++) {
                tx[i] = x[train.get(i)];
                ty[i] = good[train.get(i)];
            }
            AnswerVerifier v = trainer.fit(expert, tx, ty, ones(ty.length));
            verifiers.add(v);
            for (int q = 0; q < n; q++) {
                if (fold[q] == f) {
                    p[q] = v.probability(x[q]);
                }
            }
        }
        return new HeldOut(p, List.copyOf(verifiers));
    }

    private static double logit(double p) {
        double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return Math.log(q / (1 - q));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return w;
    }

    /** p50 / p99 microseconds of judging one Mixtral answer (checks and the verifier), one thread. */
    static double[] judgeLatencyUs(List<BenchData.GsmItem> items, AnswerVerifier verifier) {
        int rounds = 20_000;
        long[] t = new long[rounds];
        double sink = 0;
        for (int i = 0; i < 2 * rounds; i++) {
            BenchData.GsmItem it = items.get(i % items.size());
            long t0 = System.nanoTime();
            sink += verifier.probabilityGood(it.question(), it.mixtralAnswer());
            if (i >= rounds) {
                t[i - rounds] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(t);
        return new double[] {t[rounds / 2] / 1e3, t[rounds * 99 / 100] / 1e3, sink};
    }

    /** The cascade's section of the GSM8K report. */
    static void report(String title, BenchWorld world, List<BenchData.GsmItem> items, Result r,
            double strongestCostPer1k, double target, StringBuilder md) {
        md.append("### ").append(title).append("\n\n");
        md.append("Mixtral answers every prompt; an answer verifier (logistic regression over `AnswerChecks`: final-answer "
                + "marker, recomputed arithmetic, kind of final number, the prompt's numbers left unused, lengths, hedging and "
                + "second-guessing) trained on the traffic folds' rated Mixtral answers judges it");
        md.append(r.combined() ? ", its evidence added to the fold's quality predictor's P(Mixtral good | prompt) as "
                + "independent (logit(answer) + logit(prompt) - logit(base rate))" : "");
        md.append("; below the threshold the prompt is escalated to GPT-4 and both answers are paid for. Same folds as "
                + "above, every question judged by models that never saw it.\n\n");
        md.append(String.format(Locale.ROOT, "Verifier on held-out answers, all folds pooled: AUC %.4f, log loss %.4f, ECE %.4f "
                + "(per fold AUC %s).%n%n", r.heldOut().auc(), r.heldOut().logLoss(), r.heldOut().ece(),
                r.perFold().stream().map(m -> String.format(Locale.ROOT, "%.3f", m.auc())).toList()));
        FrontierSweep.Point cheapest = r.points().stream().filter(p -> p.quality() >= target)
                .min((a, b) -> Double.compare(a.costPer1k(), b.costPer1k())).orElse(null);
        if (cheapest == null) {
            md.append("Cost cut at 95% of the strongest's quality: not reached.\n\n");
        } else {
            md.append(String.format(Locale.ROOT, "Cost cut at 95%% of the strongest's quality: **%.1f%%** (threshold %.4f, "
                    + "quality %.4f, %.4f USD / 1k, %.1f%% of prompts escalated, each of them waiting for two answers).%n%n",
                    100 * (1 - cheapest.costPer1k() / strongestCostPer1k), cheapest.costWeight(), cheapest.quality(),
                    cheapest.costPer1k(), 100 * cheapest.share()[world.experts().indexOf(BenchWorld.GPT4)]));
        }
        md.append("| threshold | quality | vs strongest | USD / 1k | vs strongest | escalated |\n|---:|---:|---:|---:|---:|---:|\n");
        double q0 = target / 0.95;
        // the Pareto points, thinned to one per 0.01 of quality (the 95% point always shown)
        double shown = Double.NEGATIVE_INFINITY;
        for (FrontierSweep.Point p : PerceptiveBenchmark.pareto(r.points())) {
            if (p.quality() < shown + 0.01 && p != cheapest) {
                continue;
            }
            shown = p.quality();
            md.append(String.format(Locale.ROOT, "| %.4f | %.4f | %.1f%% | %.4f | %.1f%% | %.1f%% |%n", p.costWeight(),
                    p.quality(), 100 * p.quality() / q0, p.costPer1k(), 100 * p.costPer1k() / strongestCostPer1k,
                    100 * p.share()[world.experts().indexOf(BenchWorld.GPT4)]));
        }
        double[] judge = judgeLatencyUs(items, r.verifiers().get(0));
        md.append(String.format(Locale.ROOT, "%nJudging one answer (checks and verifier, one thread, on a shared machine): "
                + "p50 %.1f us, p99 %.1f us.%n%n", judge[0], judge[1]));
    }

    /** Every threshold's point of both cascades. */
    static void csv(BenchWorld world, Result alone, Result combined, Path file) throws java.io.IOException {
        StringBuilder s = new StringBuilder("cascade,threshold,quality,usd_per_1k,escalated\n");
        int strong = world.experts().indexOf(BenchWorld.GPT4);
        for (Result r : List.of(alone, combined)) {
            for (FrontierSweep.Point p : r.points()) {
                s.append(String.format(Locale.ROOT, "%s,%.4f,%.6f,%.6f,%.6f%n", r.combined() ? "answer+prompt" : "answer",
                        p.costWeight(), p.quality(), p.costPer1k(), p.share()[strong]));
            }
        }
        java.nio.file.Files.writeString(file, s.toString());
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 1 && args[0].equals("--data") ? args[1] : "../shared/data");
        List<BenchData.GsmItem> items = BenchData.gsm8k(data.resolve("gsm8k/gsm8k_test_gpt4_mixtral.jsonl"));
        BenchWorld world = BenchWorld.gsm8k(items, null);
        int folds = 5;
        StringBuilder md = new StringBuilder();
        for (long seed : new long[] {42, 1, 2, 3, 4}) {
            Result r = run(items, world, folds, seed, List.of());
            double[] strongest = strongest(world);
            md.append("seed ").append(seed).append('\n');
            report("Verify-then-escalate cascade, by the answer alone", world, items, r, strongest[1], 0.95 * strongest[0], md);
        }
        System.out.println(md);
    }

    /** {quality, USD per 1k} of GPT-4 answering everything. */
    static double[] strongest(BenchWorld world) {
        int e = world.experts().indexOf(BenchWorld.GPT4);
        int n = world.correct().length;
        double q = 0;
        double c = 0;
        for (int p = 0; p < n; p++) {
            q += world.correct()[p][e] ? 1.0 / n : 0;
            c += 1000 * world.costUsd()[p][e] / n;
        }
        return new double[] {q, c};
    }
}
