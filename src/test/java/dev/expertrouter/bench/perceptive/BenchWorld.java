package dev.expertrouter.bench.perceptive;

import dev.expertrouter.routing.Classification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One benchmark world: prompts as the shipped router sees them, experts with prices, and whether
 * each expert answers each prompt correctly, plus what each answer costs.
 *
 * @param correct   [prompt][expert]
 * @param costUsd   [prompt][expert] realised cost of that answer
 * @param trueDomain the data set's own domain label of each prompt (for fixed domain mappings)
 */
record BenchWorld(String name, List<String> experts, double[][] prices, List<Classification> prompts,
        int[] inputTokens, boolean[][] correct, double[][] costUsd, String[] trueDomain, String howBuilt) {

    static final String GPT4 = "gpt-4-1106-preview";
    static final String MIXTRAL = "Mixtral-8x7B-Instruct-v0.1";

    /** USD per 1M input / output tokens, list prices of late 2023 / early 2024 (Mixtral at a typical host's). */
    static final Map<String, double[]> PRICES = Map.of(
            GPT4, new double[] {10, 30},
            MIXTRAL, new double[] {0.6, 0.6},
            "llama-30B", new double[] {0.8, 0.8},
            "llama-13B", new double[] {0.3, 0.3},
            "llama-7B", new double[] {0.2, 0.2},
            "mpt-7b", new double[] {0.15, 0.15});

    static int tokens(int chars) {
        return Math.max(1, chars / 4);
    }

    /** GSM8K: the two models' real per-question correctness; cost from the real answers' lengths. */
    static BenchWorld gsm8k(List<BenchData.GsmItem> items, List<Classification> prompts) {
        List<String> experts = List.of(GPT4, MIXTRAL);
        int n = items.size();
        boolean[][] correct = new boolean[n][2];
        double[][] cost = new double[n][2];
        int[] input = new int[n];
        String[] domain = new String[n];
        for (int q = 0; q < n; q++) {
            BenchData.GsmItem it = items.get(q);
            input[q] = tokens(it.question().length());
            correct[q][0] = it.gpt4();
            correct[q][1] = it.mixtral();
            cost[q][0] = price(GPT4, input[q], tokens(it.gpt4Chars()));
            cost[q][1] = price(MIXTRAL, input[q], tokens(it.mixtralChars()));
            domain[q] = "math";
        }
        return new BenchWorld("gsm8k", experts, prices(experts), prompts, input, correct, cost, domain,
                "GSM8K test (1,319 questions): real per-question correctness of " + GPT4 + " and " + MIXTRAL
                        + " (RouteLLM's responses); cost = price x (question chars / 4 input + real answer chars / 4 output tokens)");
    }

    /**
     * MMLU validation, six experts, simulated correctness that depends on the question: the prompts'
     * MiniLM embeddings are clustered (k-means, k = 12, seeded); each expert gets +1.5 logits on two
     * random clusters (its planted strengths) and -1.5 on two others (weaknesses); every question
     * gets a difficulty d ~ N(0, 0.8) shared by all experts; then
     * P(correct) = sigmoid(logit(published accuracy of that model on that subject) + strength - d).
     */
    static BenchWorld mmlu(List<BenchData.MmluItem> items, List<Classification> prompts, Path accuracyCsv, long seed)
            throws IOException {
        List<String> experts = List.of(GPT4, MIXTRAL, "llama-30B", "llama-13B", "llama-7B", "mpt-7b");
        Map<String, Double> acc = new HashMap<>();
        List<String> lines = Files.readAllLines(accuracyCsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            // the setting column may hold a quoted comma: count subject from the end (subject, domain, n_test, acc)
            acc.put(f[0] + "|" + f[f.length - 4], Double.parseDouble(f[f.length - 1]));
        }
        int n = items.size();
        int k = 12;
        int[] cluster = KMeans.assign(prompts.stream().map(Classification::embedding).toList(), k, seed);
        Random r = new Random(seed);
        double[][] strength = new double[experts.size()][k];
        for (int e = 0; e < experts.size(); e++) {
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                order.add(c);
            }
            java.util.Collections.shuffle(order, r);
            strength[e][order.get(0)] = 1.5;
            strength[e][order.get(1)] = 1.5;
            strength[e][order.get(2)] = -1.5;
            strength[e][order.get(3)] = -1.5;
        }
        boolean[][] correct = new boolean[n][experts.size()];
        double[][] cost = new double[n][experts.size()];
        int[] input = new int[n];
        String[] domain = new String[n];
        for (int q = 0; q < n; q++) {
            BenchData.MmluItem it = items.get(q);
            input[q] = tokens(it.prompt().length());
            domain[q] = it.domain();
            double difficulty = r.nextGaussian() * 0.8;
            for (int e = 0; e < experts.size(); e++) {
                double a = Math.min(0.98, Math.max(0.02, acc.get(experts.get(e) + "|" + it.subject())));
                double logit = Math.log(a / (1 - a)) + strength[e][cluster[q]] - difficulty;
                correct[q][e] = r.nextDouble() < 1 / (1 + Math.exp(-logit));
                cost[q][e] = price(experts.get(e), input[q], 16);
            }
        }
        return new BenchWorld("mmlu-6", experts, prices(experts), prompts, input, correct, cost, domain,
                "MMLU validation (1,502 questions), six experts with simulated correctness: P(correct) = sigmoid(logit(published "
                        + "per-subject accuracy) + planted strength of the expert on the question's k-means cluster of MiniLM "
                        + "embeddings (k = 12; +1.5 on 2 random clusters, -1.5 on 2 others, per expert) - shared difficulty "
                        + "d ~ N(0, 0.8)); cost = price x (prompt chars / 4 input + 16 output tokens)");
    }

    static double price(String expert, int in, int out) {
        double[] p = PRICES.get(expert);
        return (p[0] * in + p[1] * out) / 1e6;
    }

    private static double[][] prices(List<String> experts) {
        return experts.stream().map(PRICES::get).toArray(double[][]::new);
    }
}
