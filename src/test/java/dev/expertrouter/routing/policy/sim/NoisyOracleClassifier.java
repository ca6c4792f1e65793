package dev.expertrouter.routing.policy.sim;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.PromptClassifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Stand-in for the learned router until it exists: it knows each prompt's true domain and draws a
 * calibrated, imperfect verdict from it. Per prompt it draws a confidence c with
 * {@code 1 - c = spread x u^3} (u uniform; by default spread 0.6: c in [0.4, 1], mean 0.85), names the true domain with
 * probability c and else a uniformly random other domain, and reports p = c for the named domain and
 * (1 - c) / (n - 1) for each other one. So it is right 1 - spread / 4 of the time on average (85% by default), and its
 * confidence means what it says. Deterministic per prompt text and seed.
 */
final class NoisyOracleClassifier implements PromptClassifier {

    /** 1 - c = spread x u^3, so the mean error rate is spread / 4: 0.6 gives 85% top-1 accuracy. */
    static final double DEFAULT_SPREAD = 0.6;

    private final Map<String, String> trueDomain;
    private final List<String> domains;
    private final long seed;
    private final double spread;

    NoisyOracleClassifier(List<LabelledPrompt> prompts, List<String> domains, long seed) {
        this(prompts, domains, seed, DEFAULT_SPREAD);
    }

    NoisyOracleClassifier(List<LabelledPrompt> prompts, List<String> domains, long seed, double spread) {
        if (!(spread >= 0 && spread <= 1)) {
            throw new IllegalArgumentException("spread must be in 0..1, got " + spread);
        }
        this.spread = spread;
        this.trueDomain = new LinkedHashMap<>();
        prompts.forEach(p -> trueDomain.put(p.text(), p.domain()));
        this.domains = List.copyOf(domains);
        this.seed = seed;
    }

    /** Names the stand-in and its expected accuracy wherever results are reported. */
    String version() {
        return String.format(java.util.Locale.ROOT, "stand-in-noisy-oracle-%.3f", 1 - spread / 4);
    }

    @Override
    public Classification classify(ChatPrompt prompt) {
        String text = prompt.turns().get(prompt.turns().size() - 1).text();
        String truth = trueDomain.get(text);
        if (truth == null) {
            return Classification.unknown();
        }
        Random rnd = new Random(seed * 31 + text.hashCode());
        double u = rnd.nextDouble();
        double confidence = 1 - spread * u * u * u;
        String named = truth;
        if (rnd.nextDouble() >= confidence) {
            List<String> others = domains.stream().filter(d -> !d.equals(truth)).toList();
            named = others.get(rnd.nextInt(others.size()));
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String d : domains) {
            scores.put(d, d.equals(named) ? confidence : (1 - confidence) / (domains.size() - 1));
        }
        return new Classification(named, confidence, scores, version(), null);
    }
}
