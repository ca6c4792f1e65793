package dev.expertrouter.routing.policy.sim;

import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.PromptClassifier;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import dev.expertrouter.routing.policy.ExpertStats;
import dev.expertrouter.routing.policy.PolicyEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * RouterBench-style routing simulation: every labelled prompt is classified once, then routed under
 * each policy of the config (and a cost-weight sweep of the default policy); the chosen expert's
 * quality prior in the prompt's true domain is its expected quality, and its price with the
 * estimated tokens its expected cost. Baselines: the best single expert, the cheapest, a uniformly
 * random one, and the oracle (best expert for the true domain). Writes results.md, results.csv and
 * frontier.svg. See bench/routing-sim/README.md for the command.
 */
public final class RoutingSimulation {

    static final double[] SWEEP_COST_WEIGHTS = {0, 0.01, 0.02, 0.03, 0.05, 0.065, 0.08, 0.1, 0.12, 0.15, 0.2, 0.3, 0.5, 1};

    private final RouterConfig config;
    private final List<LabelledPrompt> prompts;
    private final List<Classification> verdicts;
    private final TenantConfig tenant;
    private final long seed;

    RoutingSimulation(RouterConfig config, List<LabelledPrompt> prompts, PromptClassifier classifier, long seed) {
        this.config = config;
        this.prompts = prompts;
        this.verdicts = prompts.stream().map(p -> classifier.classify(p.prompt())).toList();
        this.tenant = new TenantConfig("routing-sim", List.of("0".repeat(64)), config.defaultPolicy(), List.of(), List.of(),
                dev.expertrouter.config.TenantLimits.NONE);
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        Path configDir = Path.of(opt.getOrDefault("config", "config"));
        Path data = Path.of(opt.getOrDefault("data", "../shared/data/mmlu/mmlu_val.jsonl"));
        Path out = Path.of(opt.getOrDefault("out", "bench/routing-sim/results"));
        long seed = Long.parseLong(opt.getOrDefault("seed", "42"));

        RouterConfig config = new ConfigLoader().load(configDir);
        List<LabelledPrompt> prompts;
        PromptClassifier router = null;
        String routerName = null;
        if (opt.containsKey("router")) {
            // the learned router, scored only on its own held-out MMLU test split (never trained on)
            Path models = Path.of(opt.get("router"));
            var learned = dev.expertrouter.routing.classifier.EmbeddingClassifier.fromModelsDir(models, Optional.empty());
            var meta = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    models.resolve(learned.version()).resolve("metadata.json").toFile());
            var mmlu = dev.expertrouter.training.MmluDataset.load(data.getParent()).prompts();
            var split = dev.expertrouter.training.StratifiedSplit.of(mmlu, meta.path("split").path("validationFraction").asDouble(),
                    meta.path("split").path("testFraction").asDouble(), meta.path("seed").asLong());
            prompts = split.test().stream().map(p -> new LabelledPrompt(p.id(), p.domain(),
                    new ChatPrompt(List.of(new ChatPrompt.Turn("user", p.text()))))).toList();
            router = learned;
            routerName = "learned router " + learned.version() + " (" + models + "), on its MMLU test split";
        } else {
            prompts = LabelledPrompt.readJsonl(data);
        }
        Set<String> domains = new LinkedHashSet<>(ConfigLoader.BUILT_IN_DOMAINS);
        prompts.forEach(p -> domains.add(p.domain()));
        PromptClassifier classifier;
        String classifierName;
        if (router != null) {
            classifier = router;
            classifierName = routerName;
        } else if (opt.containsKey("classifier")) {
            classifier = (PromptClassifier) Class.forName(opt.get("classifier")).getDeclaredConstructor().newInstance();
            classifierName = opt.get("classifier");
        } else {
            NoisyOracleClassifier standIn = new NoisyOracleClassifier(prompts, List.copyOf(domains), seed,
                    Double.parseDouble(opt.getOrDefault("stand-in-spread", String.valueOf(NoisyOracleClassifier.DEFAULT_SPREAD))));
            classifier = standIn;
            classifierName = standIn.version() + " (seed " + seed + ")";
        }

        RoutingSimulation sim = new RoutingSimulation(config, prompts, classifier, seed);
        List<SimResult> results = sim.run();
        Files.createDirectories(out);
        String header = sim.header(configDir, data, classifierName, args);
        String table = sim.table(results);
        String verdict = sim.acceptance(results);
        Files.writeString(out.resolve("results.md"), header + "\n" + table + "\n" + verdict + "\n");
        Files.writeString(out.resolve("results.csv"), csv(results));
        Files.writeString(out.resolve("frontier.svg"), FrontierPlot.svg(
                "Routing quality vs cost: " + prompts.size() + " prompts, " + classifierName, results));
        System.out.println(header);
        System.out.println(table);
        System.out.println(verdict);
        System.out.println("wrote " + out.resolve("results.md") + ", results.csv, frontier.svg");
    }

    List<SimResult> run() {
        List<SimResult> results = new ArrayList<>();
        for (PolicyConfig p : config.policies()) {
            results.add(route(p.name(), "policy", p, verdicts));
        }
        PolicyConfig balanced = config.policy(config.defaultPolicy()).orElseThrow();
        for (double w : SWEEP_COST_WEIGHTS) {
            PolicyConfig swept = withCostWeight(balanced, w);
            results.add(route(balanced.name() + " cost=" + w, "sweep", swept, verdicts));
        }
        List<Classification> perfect = prompts.stream()
                .map(p -> new Classification(p.domain(), 1.0, Map.of(p.domain(), 1.0), "perfect", null)).toList();
        results.add(route(balanced.name() + " @ perfect router", "perfect", balanced, perfect));

        results.add(fixed("always best single", bestSingle()));
        results.add(fixed("always cheapest", config.experts().stream()
                .min(Comparator.comparingDouble((ExpertConfig e) -> meanCost(e)).thenComparing(ExpertConfig::id)).orElseThrow()));
        results.add(randomBaseline());
        results.add(oracle());
        for (ExpertConfig e : config.experts()) {
            results.add(perPrompt(e.id(), "expert", p -> e));
        }
        return results;
    }

    private SimResult route(String name, String kind, PolicyConfig policy, List<Classification> classifications) {
        PolicyEngine engine = new PolicyEngine(ExpertAvailability.ALWAYS, new ExpertStats());
        double quality = 0;
        double cost = 0;
        int unrouted = 0;
        int escalated = 0;
        Map<String, Integer> picks = new TreeMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            LabelledPrompt p = prompts.get(i);
            RoutingDecision d = engine.select(new RoutingRequest(config, tenant, policy, classifications.get(i),
                    p.prompt().estimatedTokens(), OptionalInt.empty(), OptionalDouble.empty(), OptionalLong.empty(),
                    Optional.empty()));
            if (d.escalation().isPresent()) {
                escalated++;
            }
            Optional<Candidate> chosen = d.chosen();
            if (chosen.isEmpty()) {
                unrouted++;
                continue;
            }
            quality += config.expert(chosen.get().expert()).orElseThrow().qualityFor(p.domain());
            cost += chosen.get().estCostUsd();
            picks.merge(chosen.get().expert(), 1, Integer::sum);
        }
        return new SimResult(name, kind, quality / prompts.size(), cost / prompts.size() * 1000, unrouted, escalated,
                shares(picks));
    }

    private SimResult fixed(String name, ExpertConfig e) {
        SimResult r = perPrompt(name, "baseline", p -> e);
        return new SimResult(name + " (" + e.id() + ")", r.kind(), r.meanQuality(), r.costPer1k(), 0, 0, r.topExperts());
    }

    private SimResult randomBaseline() {
        Random rnd = new Random(seed);
        List<ExpertConfig> experts = config.experts();
        return perPrompt("random", "baseline", p -> experts.get(rnd.nextInt(experts.size())));
    }

    /** Best expert for the true domain; ties go to the cheaper one. */
    private SimResult oracle() {
        return perPrompt("oracle", "baseline", p -> config.experts().stream()
                .min(Comparator.comparingDouble((ExpertConfig e) -> -e.qualityFor(p.domain()))
                        .thenComparingDouble(e -> cost(e, p))
                        .thenComparing(ExpertConfig::id))
                .orElseThrow());
    }

    private SimResult perPrompt(String name, String kind, java.util.function.Function<LabelledPrompt, ExpertConfig> pick) {
        double quality = 0;
        double cost = 0;
        Map<String, Integer> picks = new TreeMap<>();
        for (LabelledPrompt p : prompts) {
            ExpertConfig e = pick.apply(p);
            quality += e.qualityFor(p.domain());
            cost += cost(e, p);
            picks.merge(e.id(), 1, Integer::sum);
        }
        return new SimResult(name, kind, quality / prompts.size(), cost / prompts.size() * 1000, 0, 0, shares(picks));
    }

    private ExpertConfig bestSingle() {
        return config.experts().stream()
                .min(Comparator.comparingDouble((ExpertConfig e) -> -prompts.stream().mapToDouble(p -> e.qualityFor(p.domain())).sum())
                        .thenComparing(ExpertConfig::id))
                .orElseThrow();
    }

    /** The same estimate the engine makes with no learned stats: estimated input, default output tokens. */
    private static double cost(ExpertConfig e, LabelledPrompt p) {
        return e.price().costUsd(p.prompt().estimatedTokens(), ExpertStats.DEFAULT_OUTPUT_TOKENS);
    }

    private double meanCost(ExpertConfig e) {
        return prompts.stream().mapToDouble(p -> cost(e, p)).average().orElse(0);
    }

    private String shares(Map<String, Integer> picks) {
        return picks.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(4)
                .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / prompts.size()))
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    static PolicyConfig withCostWeight(PolicyConfig p, double costWeight) {
        return new PolicyConfig(p.name(), p.defaultExpert(), p.description(),
                new PolicyConfig.Weights(p.weights().quality(), costWeight, p.weights().latency()), p.limits(),
                p.allowedExperts(), p.deniedExperts(), p.escalation(), p.riskTiers(), p.referenceExpert());
    }

    String table(List<SimResult> results) {
        SimResult best = results.stream().filter(r -> r.name().startsWith("always best single")).findFirst().orElseThrow();
        StringBuilder s = new StringBuilder();
        s.append("| strategy | kind | mean quality | vs best single | USD / 1k req | vs best single | unrouted | escalated | most chosen |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (SimResult r : results) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.1f%% | %.4f | %.1f%% | %d | %d | %s |\n", r.name(),
                    r.kind(), r.meanQuality(), 100 * r.meanQuality() / best.meanQuality(), r.costPer1k(),
                    100 * r.costPer1k() / best.costPer1k(), r.unrouted(), r.escalated(), r.topExperts()));
        }
        return s.toString();
    }

    String acceptance(List<SimResult> results) {
        SimResult best = results.stream().filter(r -> r.name().startsWith("always best single")).findFirst().orElseThrow();
        SimResult balanced = results.stream().filter(r -> r.kind().equals("policy") && r.name().equals(config.defaultPolicy()))
                .findFirst().orElseThrow();
        double q = balanced.meanQuality() / best.meanQuality();
        double c = balanced.costPer1k() / best.costPer1k();
        boolean pass = q >= 1 && c <= 0.5;
        return String.format(Locale.ROOT, "Acceptance (default policy '%s' >= 100%% of the best single expert's quality at "
                + "<= 50%% of its cost): quality %.1f%%, cost %.1f%% -> %s", config.defaultPolicy(), 100 * q, 100 * c,
                pass ? "PASS" : "MISS");
    }

    String header(Path configDir, Path data, String classifierName, String[] args) {
        long correct = 0;
        for (int i = 0; i < prompts.size(); i++) {
            if (verdicts.get(i).domain().equals(prompts.get(i).domain())) {
                correct++;
            }
        }
        Map<String, Long> byDomain = new TreeMap<>();
        prompts.forEach(p -> byDomain.merge(p.domain(), 1L, Long::sum));
        return String.format(Locale.ROOT, """
                # Routing simulation results

                - when: %s
                - command: `java ... %s %s`
                - data: %s (%d prompts, sha256 %s); domains %s
                - config: %s (policies.yaml sha256 %s, experts.yaml sha256 %s)
                - classifier: %s; top-1 accuracy on these prompts %.3f
                - quality = the chosen expert's quality prior in the prompt's true domain; cost = price x (estimated
                  input tokens + %d expected output tokens), no learned stats
                - hardware: %d cores, %s %s, Java %s
                """, Instant.now(), RoutingSimulation.class.getName(), String.join(" ", args), data, prompts.size(),
                sha256(data), byDomain, configDir, sha256(configDir.resolve("policies.yaml")),
                sha256(configDir.resolve("experts.yaml")), classifierName, (double) correct / prompts.size(),
                ExpertStats.DEFAULT_OUTPUT_TOKENS, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    private static String csv(List<SimResult> results) {
        StringBuilder s = new StringBuilder("strategy,kind,mean_quality,usd_per_1k,unrouted,escalated\n");
        for (SimResult r : results) {
            s.append(String.format(Locale.ROOT, "\"%s\",%s,%.5f,%.5f,%d,%d\n", r.name(), r.kind(), r.meanQuality(),
                    r.costPer1k(), r.unrouted(), r.escalated()));
        }
        return s.toString();
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return "unreadable";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: [--config DIR] [--data JSONL] [--out DIR] [--seed N] "
                        + "[--router MODELS_DIR | --classifier FQCN | --stand-in-spread S]; bad argument '" + args[i] + "'");
            }
            opt.put(args[i].substring(2), args[++i]);
        }
        return opt;
    }
}
