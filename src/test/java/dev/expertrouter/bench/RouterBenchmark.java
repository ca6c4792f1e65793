package dev.expertrouter.bench;

import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import dev.expertrouter.routing.policy.ExpertStats;
import dev.expertrouter.routing.policy.PolicyEngine;
import dev.expertrouter.routing.ChatPrompt.Turn;
import dev.expertrouter.routing.classifier.EmbeddingClassifier;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;

/**
 * Latency of one routing decision (text selection + embedding + classification + the policy
 * engine's choice of expert under the default policy of {@code config/}), single-threaded,
 * after warm-up, without the embedding cache (every prompt is new), on prompts of 50, 300 and
 * 1,000 characters. Run: {@code bench/router/run.sh} (see bench/router/README.md).
 */
public final class RouterBenchmark {

    private static final String[] SENTENCES = {
        "Can you explain how the contract's termination clause applies if the supplier misses a deadline?",
        "Write a Python function that parses a CSV file and returns the average of the third column.",
        "My blood pressure readings have been around 150 over 95 for two weeks, should I see a doctor?",
        "What is the derivative of x squared times the natural logarithm of x, step by step please?",
        "How do interest rate changes by the central bank affect the price of long-term government bonds?",
        "Summarise the main causes of the French Revolution and how historians interpret them today.",
        "Why is the sky blue during the day but red and orange during sunset and sunrise?",
        "Plan a relaxed three day itinerary for Lisbon with good food and a day trip to Sintra.",
    };

    public static void main(String[] args) {
        Path models = Path.of(args.length > 0 ? args[0] : "router-models");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int maxChars = args.length > 3 ? Integer.parseInt(args[3]) : PromptTextSelector.DEFAULT_MAX_CHARS;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : MiniLmEmbedder.DEFAULT_INTRA_OP_THREADS;
        RouterConfig config = new ConfigLoader().load(Path.of(args.length > 5 ? args[5] : "config"));
        PolicyConfig policy = config.policy(config.defaultPolicy()).orElseThrow();
        TenantConfig tenant = config.tenants().get(0);
        PolicyEngine engine = new PolicyEngine(ExpertAvailability.ALWAYS, new ExpertStats());
        MiniLmEmbedder embedder = new MiniLmEmbedder(threads);
        RouterModel model = RouterModelLoader.loadServing(models, Optional.empty(), embedder.id());
        EmbeddingClassifier classifier = new EmbeddingClassifier(
                new PromptTextSelector(maxChars, Math.min(maxChars, PromptTextSelector.DEFAULT_SHORT_FOCUS_CHARS)),
                embedder, model);
        System.out.printf(Locale.ROOT, "router %s%s, embedder %s (%d intra-op threads), text budget %d chars, policy %s over %d experts, %d warm-up + %d measured per size, one caller thread%n",
                model.version(), model.neighbours() == null ? "" : " (heads + " + model.neighbours().index().size()
                        + "-row neighbour vote)", embedder.id(), threads, maxChars, policy.name(), config.experts().size(),
                warmup, iterations);
        System.out.printf(Locale.ROOT, "host: %s, %d cpus, %s %s%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-6s %8s %8s %8s %8s %8s%n", "chars", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms");
        for (int chars : new int[] {50, 300, 1000}) {
            List<ChatPrompt> prompts = prompts(chars, warmup + iterations, chars);
            int chosen = 0;
            for (int i = 0; i < warmup; i++) {
                chosen += decide(classifier, engine, config, tenant, policy, prompts.get(i));
            }
            double[] ms = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                ChatPrompt prompt = prompts.get(warmup + i);
                long start = System.nanoTime();
                chosen += decide(classifier, engine, config, tenant, policy, prompt);
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(ms);
            if (chosen != warmup + iterations) {
                throw new IllegalStateException("the policy chose no expert for some prompts");
            }
            System.out.printf(Locale.ROOT, "%-6d %8.2f %8.2f %8.2f %8.2f %8.2f%n", chars, pct(ms, 50), pct(ms, 90),
                    pct(ms, 99), ms[ms.length - 1], Arrays.stream(ms).average().orElse(0));
        }
    }

    /** One whole decision, as the gateway makes it for {@code model: auto}; 1 when an expert was chosen. */
    private static int decide(EmbeddingClassifier classifier, PolicyEngine engine, RouterConfig config,
            TenantConfig tenant, PolicyConfig policy, ChatPrompt prompt) {
        Classification classification = classifier.classify(prompt);
        RoutingDecision decision = engine.select(new RoutingRequest(config, tenant, policy, classification,
                prompt.estimatedTokens(), OptionalInt.empty(), OptionalDouble.empty(), OptionalLong.empty(),
                Optional.empty()));
        return decision.chosen().isPresent() ? 1 : 0;
    }

    /** Distinct prompts of exactly {@code chars} characters, so no cache or repetition helps. */
    static List<ChatPrompt> prompts(int chars, int count, long seed) {
        Random random = new Random(seed);
        List<ChatPrompt> prompts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            text.append('#').append(i).append(' ');
            while (text.length() < chars) {
                text.append(SENTENCES[random.nextInt(SENTENCES.length)]).append(' ');
            }
            prompts.add(new ChatPrompt(List.of(new Turn("user", text.substring(0, chars)))));
        }
        return prompts;
    }

    private static double pct(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown cpu");
        } catch (Exception e) {
            return "unknown cpu";
        }
    }
}
