package dev.expertrouter.bench.perceptive;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.Price;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.SimulatedConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.RoutingRequest;
import dev.expertrouter.routing.policy.ExpertQualityEstimator;
import dev.expertrouter.routing.policy.ExpertStats;
import dev.expertrouter.routing.policy.PolicyEngine;
import dev.expertrouter.routing.policy.QualityBlend;
import dev.expertrouter.routing.quality.QualityPredictor;
import dev.expertrouter.training.quality.QualityDataset;
import dev.expertrouter.training.quality.QualityGate;
import dev.expertrouter.training.quality.QualityTrainer;
import dev.expertrouter.training.quality.QualityTraining;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;

/**
 * K-fold replay of one world through the real {@link PolicyEngine}: per fold, the other folds are
 * the traffic (every expert's answer to each of their prompts rated, as forced requests,
 * exploration and the jury would supply), from which (a) per-domain quality priors and (b) the
 * quality predictor are learned; the fold itself is evaluated, once per cost weight of the sweep,
 * with the priors alone ("before") and with the predictor ("after").
 */
final class FrontierSweep {

    static final TenantConfig TENANT = new TenantConfig("bench", List.of("0".repeat(64)), "p", List.of(), List.of(),
            dev.expertrouter.config.TenantLimits.NONE);

    /** Summed over all folds, per cost weight: quality hits and cost. */
    record Point(double costWeight, double quality, double costPer1k, double[] share) {
    }

    record Result(List<Point> before, List<Point> after, List<QualityGate.Report> gates, int ratedPerFold,
            List<QualityPredictor> predictors, List<RouterConfig> configs) {
    }

    static final double[] WEIGHTS = weights();

    private static double[] weights() {
        List<Double> w = new ArrayList<>();
        w.add(0.0);
        for (double x = 0.001; x < 3; x *= 1.08) {
            w.add(x);
        }
        w.add(1000.0);
        return w.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static Result run(BenchWorld world, int folds, long seed, PrintStream log) {
        int n = world.prompts().size();
        int[] fold = folds(n, folds, seed);
        int e = world.experts().size();
        double[][] beforeQ = new double[WEIGHTS.length][2 + e];
        double[][] afterQ = new double[WEIGHTS.length][2 + e];
        List<QualityGate.Report> gates = new ArrayList<>();
        List<QualityPredictor> predictors = new ArrayList<>();
        List<RouterConfig> configs = new ArrayList<>();
        int rated = 0;
        for (int f = 0; f < folds; f++) {
            List<Integer> traffic = new ArrayList<>();
            List<Integer> eval = new ArrayList<>();
            for (int q = 0; q < n; q++) {
                (fold[q] == f ? eval : traffic).add(q);
            }
            List<RatedOutcome> outcomes = ratedOutcomes(world, traffic, new Random(seed + f));
            rated = outcomes.size();
            List<String> domains = world.prompts().get(0).scores().keySet().stream().sorted().toList();
            QualityTraining training = new QualityTraining(QualityDataset.Labelling.DEFAULTS,
                    new QualityTrainer.Settings(64, 0.8, 2e-3, 1e-3, 60, 6, 128, seed + f), QualityGate.Thresholds.DEFAULTS,
                    0.2, log);
            QualityTraining.Result trained = training.run(outcomes, domains, null, "bench-fold-" + f, Optional.empty());
            gates.add(trained.gate());
            predictors.add(trained.trained().predictor());
            List<ExpertConfig> experts = priors(world, traffic);
            RouterConfig config = new RouterConfig(experts, List.of(policy(0)), "p", List.of(TENANT));
            configs.add(config);
            PolicyEngine before = new PolicyEngine(ExpertAvailability.ALWAYS, new ExpertStats(),
                    ExpertQualityEstimator.NONE, new QualityBlend(QualityBlend.DEFAULT_PRIOR_WEIGHT), new Random(seed));
            PolicyEngine after = new PolicyEngine(ExpertAvailability.ALWAYS, new ExpertStats(),
                    trained.trained().predictor(), new QualityBlend(QualityBlend.DEFAULT_PRIOR_WEIGHT), new Random(seed));
            for (int w = 0; w < WEIGHTS.length; w++) {
                PolicyConfig policy = policy(WEIGHTS[w]);
                RouterConfig cfg = new RouterConfig(experts, List.of(policy), "p", List.of(TENANT));
                for (int q : eval) {
                    tally(world, q, before.select(request(cfg, policy, world, q)).chosen().orElseThrow().expert(), beforeQ[w]);
                    tally(world, q, after.select(request(cfg, policy, world, q)).chosen().orElseThrow().expert(), afterQ[w]);
                }
            }
        }
        return new Result(points(beforeQ, n), points(afterQ, n), gates, rated, predictors, configs);
    }

    /** Each of {@code n} prompts' fold: a seeded shuffle dealt round robin. */
    static int[] folds(int n, int folds, long seed) {
        int[] fold = new int[n];
        List<Integer> order = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            order.add(q);
        }
        java.util.Collections.shuffle(order, new Random(seed));
        for (int i = 0; i < n; i++) {
            fold[order.get(i)] = i % folds;
        }
        return fold;
    }

    static RoutingRequest request(RouterConfig cfg, PolicyConfig policy, BenchWorld world, int q) {
        return new RoutingRequest(cfg, TENANT, policy, world.prompts().get(q), world.inputTokens()[q], OptionalInt.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), Optional.empty());
    }

    private static void tally(BenchWorld world, int q, String expert, double[] acc) {
        int e = world.experts().indexOf(expert);
        acc[0] += world.correct()[q][e] ? 1 : 0;
        acc[1] += world.costUsd()[q][e];
        acc[2 + e] += 1;
    }

    private static List<Point> points(double[][] acc, int n) {
        List<Point> out = new ArrayList<>();
        for (int w = 0; w < WEIGHTS.length; w++) {
            double[] share = new double[acc[w].length - 2];
            for (int e = 0; e < share.length; e++) {
                share[e] = acc[w][2 + e] / n;
            }
            out.add(new Point(WEIGHTS[w], acc[w][0] / n, 1000 * acc[w][1] / n, share));
        }
        return out;
    }

    static PolicyConfig policy(double costWeight) {
        return new PolicyConfig("p", Optional.empty(), "", new PolicyConfig.Weights(1, costWeight, 0),
                PolicyConfig.Limits.NONE, List.of(), List.of(),
                new PolicyConfig.Escalation(0, PolicyConfig.EscalationMode.STRONGEST, Optional.empty(), 2), List.of(),
                Optional.empty());
    }

    /**
     * What per-domain routing learns from the same traffic: each expert's accuracy per router domain
     * (top domain), shrunk toward its overall accuracy by 5 answers; {@code general} = overall.
     */
    static List<ExpertConfig> priors(BenchWorld world, List<Integer> traffic) {
        List<ExpertConfig> out = new ArrayList<>();
        for (int e = 0; e < world.experts().size(); e++) {
            double all = 0;
            Map<String, double[]> byDomain = new HashMap<>();
            for (int q : traffic) {
                double y = world.correct()[q][e] ? 1 : 0;
                all += y;
                double[] s = byDomain.computeIfAbsent(world.prompts().get(q).domain(), d -> new double[2]);
                s[0] += y;
                s[1] += 1;
            }
            double overall = all / traffic.size();
            Map<String, Double> quality = new HashMap<>();
            quality.put(ExpertConfig.GENERAL, overall);
            byDomain.forEach((d, s) -> quality.put(d, (s[0] + 5 * overall) / (s[1] + 5)));
            double[] p = world.prices()[e];
            out.add(new ExpertConfig(world.experts().get(e), "", world.experts().get(e), null, Map.of(),
                    new Price(p[0], p[1]), quality, 500, 1_000_000, 30_000, 64, Optional.of(SimulatedConfig.DEFAULTS)));
        }
        return out;
    }

    /** Every expert's answer to every traffic prompt, rated 1 or 0 by its correctness (user feedback). */
    static List<RatedOutcome> ratedOutcomes(BenchWorld world, List<Integer> traffic, Random random) {
        List<RatedOutcome> out = new ArrayList<>();
        List<Integer> shuffled = new ArrayList<>(traffic);
        java.util.Collections.shuffle(shuffled, random);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        int i = 0;
        for (int q : shuffled) {
            Classification c = world.prompts().get(q);
            for (int e = 0; e < world.experts().size(); e++) {
                String expert = world.experts().get(e);
                Instant time = t0.plusSeconds(i++);
                OutcomeRecord o = new OutcomeRecord("r" + i, time, "bench", "p", c.routerVersion(), c.domain(),
                        c.confidence(), c.scores(), true, expert, List.of(expert), List.of(), 200, null, 200, false, 0,
                        world.inputTokens()[q], 0, world.costUsd()[q][e], 0, "", c.embedding(), c.embedderId(), 0, null,
                        false, null, false);
                out.add(new RatedOutcome(o, Optional.of(new Feedback(o.requestId(), "bench", expert, c.domain(),
                        Optional.empty(), world.correct()[q][e] ? 1 : 0, Feedback.Source.USER, time))));
            }
        }
        return out;
    }
}
