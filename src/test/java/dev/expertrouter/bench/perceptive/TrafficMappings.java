package dev.expertrouter.bench.perceptive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fixed domain -> expert mappings as an operator would choose one: from the traffic, not the
 * evaluation prompts. Per fold and per cost weight lambda, the mapping maximising traffic quality -
 * lambda x traffic cost (the objective splits by domain, so each domain takes its own best expert:
 * the exact best mapping for that weight), then answered on the held-out fold; folds pooled, as
 * the routers' frontiers are. Each weight gives one point: the frontier of mappings chosen without
 * hindsight.
 */
final class TrafficMappings {

    private TrafficMappings() {
    }

    /** 0, then 10^-4 .. 10^3 in 141 geometric steps (cost in USD per 1k requests). */
    static final double[] LAMBDAS = lambdas();

    private static double[] lambdas() {
        double[] l = new double[142];
        for (int i = 1; i < l.length; i++) {
            l[i] = Math.pow(10, -4 + 7.0 * (i - 1) / 140);
        }
        return l;
    }

    static List<FrontierSweep.Point> frontier(BenchWorld world, int folds, long seed) {
        List<String> domains = Arrays.stream(world.trueDomain()).distinct().sorted().toList();
        int n = world.prompts().size();
        int e = world.experts().size();
        int[] fold = FrontierSweep.folds(n, folds, seed);
        int[] domainOf = new int[n];
        for (int p = 0; p < n; p++) {
            domainOf[p] = domains.indexOf(world.trueDomain()[p]);
        }
        double[][] acc = new double[LAMBDAS.length][2 + e];
        for (int f = 0; f < folds; f++) {
            double[][] q = new double[domains.size()][e];
            double[][] c = new double[domains.size()][e];
            for (int p = 0; p < n; p++) {
                if (fold[p] != f) {
                    for (int x = 0; x < e; x++) {
                        q[domainOf[p]][x] += world.correct()[p][x] ? 1 : 0;
                        c[domainOf[p]][x] += 1000 * world.costUsd()[p][x];
                    }
                }
            }
            for (int l = 0; l < LAMBDAS.length; l++) {
                int[] mapping = new int[domains.size()];
                for (int d = 0; d < domains.size(); d++) {
                    double best = Double.NEGATIVE_INFINITY;
                    for (int x = 0; x < e; x++) {
                        double utility = q[d][x] - LAMBDAS[l] * c[d][x];
                        // ties go to the cheaper expert
                        if (utility > best + 1e-12 || Math.abs(utility - best) <= 1e-12 && c[d][x] < c[d][mapping[d]]) {
                            best = utility;
                            mapping[d] = x;
                        }
                    }
                }
                for (int p = 0; p < n; p++) {
                    if (fold[p] == f) {
                        int x = mapping[domainOf[p]];
                        acc[l][0] += world.correct()[p][x] ? 1 : 0;
                        acc[l][1] += 1000 * world.costUsd()[p][x];
                        acc[l][2 + x] += 1;
                    }
                }
            }
        }
        List<FrontierSweep.Point> points = new ArrayList<>();
        for (int l = 0; l < LAMBDAS.length; l++) {
            double[] share = new double[e];
            for (int x = 0; x < e; x++) {
                share[x] = acc[l][2 + x] / n;
            }
            points.add(new FrontierSweep.Point(LAMBDAS[l], acc[l][0] / n, acc[l][1] / n, share));
        }
        return points;
    }

    /**
     * For each point, the router frontier's best quality at no more cost minus the point's quality:
     * positive where the router dominates it.
     */
    static double[] margins(List<FrontierSweep.Point> mappings, List<FrontierSweep.Point> router) {
        double[] m = new double[mappings.size()];
        for (int i = 0; i < m.length; i++) {
            FrontierSweep.Point p = mappings.get(i);
            double best = Double.NEGATIVE_INFINITY;
            for (FrontierSweep.Point r : router) {
                if (r.costPer1k() <= p.costPer1k() + 1e-12) {
                    best = Math.max(best, r.quality());
                }
            }
            m[i] = best - p.quality();
        }
        return m;
    }

    /**
     * The router's quality at {@code cost} when it may mix two of its operating points (a share of
     * requests routed with one cost weight, the rest with another): the upper hull of its points,
     * read at that cost; at least the best single point at no more cost.
     */
    static double mixedQuality(List<FrontierSweep.Point> router, double cost) {
        double best = Double.NEGATIVE_INFINITY;
        for (FrontierSweep.Point a : router) {
            if (a.costPer1k() <= cost + 1e-12) {
                best = Math.max(best, a.quality());
                for (FrontierSweep.Point b : router) {
                    if (b.costPer1k() > cost + 1e-12) {
                        double share = (cost - a.costPer1k()) / (b.costPer1k() - a.costPer1k());
                        best = Math.max(best, a.quality() + share * (b.quality() - a.quality()));
                    }
                }
            }
        }
        return best;
    }

    static void report(BenchWorld world, FrontierSweep.Result r, int folds, long seed, StringBuilder md) {
        List<FrontierSweep.Point> chosen = PerceptiveBenchmark.pareto(frontier(world, folds, seed));
        List<FrontierSweep.Point> router = PerceptiveBenchmark.pareto(r.after());
        double[] margins = margins(chosen, router);
        double[] mixed = new double[chosen.size()];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = mixedQuality(router, chosen.get(i).costPer1k()) - chosen.get(i).quality();
        }
        md.append(String.format(Locale.ROOT, "Fixed mappings **chosen on the traffic** (per fold, for each of %d cost "
                + "weights the best true-domain -> expert mapping on the traffic folds, answered on the held-out fold; "
                + "what an operator could configure without hindsight): %d distinct frontier points. Against the "
                + "after-learning frontier's points, %d are strictly dominated, quality margin min %.4f, median %.4f; "
                + "against the router mixing two of its operating points (a share of traffic at each cost weight), "
                + "%d, margin min %.4f, median %.4f.%n%n", LAMBDAS.length, chosen.size(), positive(margins),
                Arrays.stream(margins).min().orElse(Double.NaN), median(margins), positive(mixed),
                Arrays.stream(mixed).min().orElse(Double.NaN), median(mixed)));
        md.append("| mapping chosen on the traffic: USD / 1k | its quality | after-learning quality at <= that cost | "
                + "mixing two operating points |\n|---:|---:|---:|---:|\n");
        for (int i = 0; i < chosen.size(); i++) {
            md.append(String.format(Locale.ROOT, "| %.4f | %.4f | %.4f | %.4f |%n", chosen.get(i).costPer1k(),
                    chosen.get(i).quality(), chosen.get(i).quality() + margins[i], chosen.get(i).quality() + mixed[i]));
        }
        md.append('\n');
    }

    private static long positive(double[] margins) {
        return Arrays.stream(margins).filter(m -> m > 1e-12).count();
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
