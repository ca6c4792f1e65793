package dev.expertrouter.perceptive;

import dev.expertrouter.testing.OutcomeSpoolDirs;
import dev.expertrouter.testing.RedisTestResource;
import dev.expertrouter.testing.SharedData;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The shipped demo with what the perceptive router's end-to-end tests need: a private Redis (the
 * outcome log and feedback), a private models root holding a copy of the shipped v4, small retrain
 * data (MMLU's dev split and ten examples per domain, so a retrain takes seconds), an extra policy
 * {@code exploring} that explores half of its traffic, one {@code verifying} whose draft expert's
 * answers are verified (verify-then-escalate), a forced exploration draw
 * ({@link ForcedExploration}), a jury of two simulated judges rating every answer, and predictions trusted alone (quality-prior-weight 0) so a test can
 * tell exactly where an {@code est_quality} came from.
 */
public class PerceptiveTestProfile implements QuarkusTestProfile {

    static final String ADMIN_KEY = "admin-secret-for-perceptive-tests";
    static final Path ROOT = build();
    static final Path MODELS = ROOT.resolve("models");

    private static Path build() {
        try {
            Path root = Files.createTempDirectory("perceptive-gateway");
            Path v4 = Files.createDirectories(root.resolve("models/v4"));
            try (Stream<Path> files = Files.list(Path.of("router-models/v4"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, v4.resolve(f.getFileName()));
                }
            }
            Files.writeString(root.resolve("models/current"), "v4\n");
            Path mmlu = Files.createDirectories(root.resolve("mmlu"));
            Files.copy(SharedData.file("mmlu/mmlu_dev.jsonl"), mmlu.resolve("mmlu_dev.jsonl"));
            Files.writeString(mmlu.resolve("mmlu_val.jsonl"), "");
            Path examples = Files.createDirectories(root.resolve("domains"));
            try (Stream<Path> files = Files.list(Path.of("config/domains"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    List<String> kept = new ArrayList<>();
                    int items = 0;
                    for (String line : Files.readAllLines(f)) {
                        if (line.startsWith("  - ") && ++items > 10) {
                            continue;
                        }
                        kept.add(line);
                    }
                    Files.write(examples.resolve(f.getFileName()), kept);
                }
            }
            Path config = Files.createDirectories(root.resolve("config"));
            for (String name : new String[] {"experts.yaml", "tenants.yaml", "policies.yaml"}) {
                Files.copy(Path.of("config", name), config.resolve(name));
            }
            Files.writeString(config.resolve("policies.yaml"), Files.readString(config.resolve("policies.yaml")) + """

                      - name: exploring
                        description: explores half of its traffic (tests)
                        default-expert: big-generalist
                        reference-expert: big-generalist
                        weights: {quality: 1.0, cost: 0.05, latency: 0.02}
                        exploration: {share: 0.5, max-extra-cost-ratio: 1000}

                      - name: verifying
                        description: the small generalist drafts, its answer verified (tests)
                        default-expert: big-generalist
                        weights: {quality: 1.0, cost: 0.0, latency: 0.0}
                        verify: {draft: small-generalist, threshold: 0.5}
                    """);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(Map.entry("router.config-dir", ROOT.resolve("config").toString()),
                Map.entry("router.reload-interval", "0s"), Map.entry("router.models-dir", MODELS.toString()),
                Map.entry("router.admin-key", ADMIN_KEY), Map.entry("router.outcomes.spool-dir", OutcomeSpoolDirs.fresh()),
                Map.entry("router.retrain.mmlu-dir", ROOT.resolve("mmlu").toString()),
                Map.entry("router.retrain.examples-dir", ROOT.resolve("domains").toString()),
                Map.entry("router.retrain.embedding-cache-dir", "target/perceptive-test-embedding-cache"),
                Map.entry("router.retrain.members", "1"), Map.entry("router.retrain.epochs", "15"),
                Map.entry("router.retrain.auto-promote", "false"), Map.entry("router.retrain.quality.epochs", "40"),
                Map.entry("router.quality-prior-weight", "0"),
                Map.entry("router.jury.judges", "small-generalist,mid-generalist"),
                Map.entry("router.jury.sample-share", "1.0"), Map.entry("router.jury.max-spend-share", "1.0"),
                // the retrain answers when done, which takes longer than the shipped 30 s idle timeout here
                Map.entry("quarkus.http.idle-timeout", "15m"),
                Map.entry("quarkus.log.category.\"dev.expertrouter.outcomes.jury\".level", "DEBUG"));
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ForcedExploration.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestResource.class));
    }
}
