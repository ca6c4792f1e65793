package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeHistory;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining on small synthetic data (clustered 384-d vectors, no ONNX): the base data are four
 * topic clusters; {@code sql} prompts lie near {@code math}, and a router that never saw them files
 * them there. Feedback correcting them to {@code code} must produce a candidate the gates promote;
 * feedback with shuffled labels must produce one they refuse, naming the gate.
 */
class RetrainerTest {

    static final List<String> DOMAINS = List.of("code", "legal", "math", "medical");
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @TempDir
    static Path dir;
    static Path examples;
    static SyntheticEmbedder embedder = new SyntheticEmbedder(Map.of("sql", "math"));
    static RouterModel serving;

    @BeforeAll
    static void trainServingRouter() throws IOException {
        examples = dir.resolve("domains");
        Files.createDirectories(examples);
        for (String domain : DOMAINS) {
            StringBuilder yaml = new StringBuilder("domain: " + domain + "\nexamples:\n");
            for (int i = 0; i < 50; i++) {
                yaml.append("  - \"").append(domain).append(' ').append(i).append("\"\n");
            }
            Files.writeString(examples.resolve(domain + ".yaml"), yaml);
        }
        Retrainer.Result first = retrainer(dir.resolve("models"), List.of()).retrain(null);
        assertThat(first.version()).isEqualTo("v1");
        assertThat(first.verdict().passed()).isTrue();
        serving = RouterModelLoader.load(first.dir(), SyntheticEmbedder.ID);
    }

    static Retrainer retrainer(Path models, List<RatedOutcome> outcomes) {
        return retrainer(models, outcomes, Map.of("acme", 1.0), 10_000);
    }

    /** @param trust the configured tenants' trust (any other tenant is not configured) */
    static Retrainer retrainer(Path models, List<RatedOutcome> outcomes, Map<String, Double> trust, int maxPerTenant) {
        Retrainer.Settings settings = new Retrainer.Settings(Optional.empty(), examples, models,
                Optional.of(dir.resolve("cache")), 3, Duration.ofDays(30), 10_000, 2, 0, 25,
                new PromotionGates.Settings(0.01, 0.03, 0.10), maxPerTenant);
        OutcomeHistory history = (since, limit) -> outcomes.stream()
                .filter(o -> !o.outcome().time().isBefore(since)).limit(limit).toList();
        return new Retrainer(settings, embedder, new PromptTextSelector(), Optional.of(history),
                tenant -> trust.containsKey(tenant) ? OptionalDouble.of(trust.get(tenant)) : OptionalDouble.empty(),
                new GatewayClock() {
                    @Override
                    public long nanoTime() {
                        return 0;
                    }

                    @Override
                    public Instant now() {
                        return NOW;
                    }
                }, new PrintStream(new ByteArrayOutputStream(), true));
    }

    static RatedOutcome outcome(String id, String text, String routed, Optional<String> corrected, String embedderId) {
        return outcome("acme", id, text, routed, corrected, embedderId);
    }

    static RatedOutcome outcome(String tenant, String id, String text, String routed, Optional<String> corrected,
            String embedderId) {
        OutcomeRecord record = new OutcomeRecord(id, NOW.minusSeconds(3600), tenant, "balanced", "v1", routed, 0.9,
                Map.of(), false, "expert-a", List.of("expert-a"), List.of(), 200, null, 200, false, 10, 5, 5, 0.0, 0.0,
                "sha", embedder.embed(text), embedderId, 5, null, false, null, false);
        Feedback feedback = new Feedback(id, tenant, "expert-a", routed, corrected, 0.2, Feedback.Source.USER, NOW);
        return new RatedOutcome(record, Optional.of(feedback));
    }

    static double share(RouterModel model, String topic, String domain) {
        int hits = 0;
        for (int i = 1000; i < 1100; i++) {
            double[] p = model.probabilities(embedder.embed(topic + " " + i));
            int best = 0;
            for (int d = 1; d < p.length; d++) {
                best = p[d] > p[best] ? d : best;
            }
            hits += model.labels().get(best).equals(domain) ? 1 : 0;
        }
        return hits / 100.0;
    }

    @Test
    void theServingRouterFilesTheUnseenTopicUnderItsNeighbour() {
        assertThat(share(serving, "sql", "math")).isGreaterThan(0.8);
        assertThat(share(serving, "code", "code")).isGreaterThan(0.9);
    }

    @Test
    void correctionsThatFixAPlantedConfusionPassTheGates() throws IOException {
        List<RatedOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            outcomes.add(outcome("sql-" + i, "sql " + i, "math", Optional.of("code"), SyntheticEmbedder.ID));
        }
        // Ignored: another embedder's space, feedback without a correction, an outcome too old.
        outcomes.add(outcome("other-space", "sql 900", "math", Optional.of("code"), "another-embedder"));
        outcomes.add(outcome("no-correction", "sql 901", "math", Optional.empty(), SyntheticEmbedder.ID));
        Path models = dir.resolve("fix");
        copy(dir.resolve("models/v1"), models.resolve("v1"));

        Retrainer.Result result = retrainer(models, outcomes).retrain(serving);
        print("planted confusion corrected", result);

        assertThat(result.version()).isEqualTo("v2");
        assertThat(result.corrections()).isEqualTo(150);
        assertThat(result.verdict().failed()).isEmpty();
        assertThat(result.verdict().passed()).isTrue();
        PromotionGates.Gate recall = result.verdict().gates().get(PromotionGates.MACRO_RECALL);
        assertThat(recall.value()).isGreaterThan(result.verdict().servingMacroRecall() + 0.05);
        RouterModel candidate = RouterModelLoader.load(result.dir(), SyntheticEmbedder.ID);
        assertThat(share(candidate, "sql", "code")).isGreaterThan(0.8);
        assertThat(share(candidate, "math", "math")).isGreaterThan(0.9);
        String metadata = Files.readString(result.dir().resolve("metadata.json"));
        assertThat(metadata).contains("\"corrections\"", "\"gates\"", "\"judgedAgainst\" : \"v1\"");
    }

    @Test
    void shuffledLabelsAreRefusedNamingTheGate() throws IOException {
        Random random = new Random(7);
        List<RatedOutcome> outcomes = new ArrayList<>();
        for (String topic : DOMAINS) {
            for (int i = 0; i < 100; i++) {
                String wrong = DOMAINS.get(random.nextInt(DOMAINS.size()));
                outcomes.add(outcome(topic + "-shuffled-" + i, topic + " " + (200 + i), topic, Optional.of(wrong),
                        SyntheticEmbedder.ID));
            }
        }
        Path models = dir.resolve("shuffled");
        copy(dir.resolve("models/v1"), models.resolve("v1"));

        Retrainer.Result result = retrainer(models, outcomes).retrain(serving);
        print("shuffled labels", result);

        assertThat(result.verdict().passed()).isFalse();
        assertThat(result.verdict().failed()).contains(PromotionGates.MACRO_RECALL, PromotionGates.NEGATIVE_FLIPS);
        assertThat(Files.readString(result.dir().resolve("metadata.json"))).contains("\"passed\" : false");
    }

    /**
     * The attack: one tenant floods 500 corrections filing {@code sql} under {@code legal}, another
     * (trust 0) 300 more, against three tenants' 20 honest corrections each to {@code code}. Counted
     * in full the flood would teach {@code sql -> legal}; capped at 20 per tenant, and with the
     * trust-0 tenant ignored, the honest majority is what the candidate learns.
     */
    @Test
    void oneTenantsFloodOfWrongCorrectionsIsCappedAndATrustZeroTenantTeachesNothing() {
        List<RatedOutcome> outcomes = new ArrayList<>();
        for (String honest : List.of("acme", "globex", "initech")) {
            for (int i = 0; i < 20; i++) {
                outcomes.add(outcome(honest, honest + "-" + i, "sql " + (honest.hashCode() % 97 + 100 * i), "math",
                        Optional.of("code"), SyntheticEmbedder.ID));
            }
        }
        for (int i = 0; i < 500; i++) {
            outcomes.add(outcome("mallory", "mallory-" + i, "sql " + (5000 + i), "math", Optional.of("legal"),
                    SyntheticEmbedder.ID));
        }
        for (int i = 0; i < 300; i++) {
            outcomes.add(outcome("eve", "eve-" + i, "sql " + (6000 + i), "math", Optional.of("legal"), SyntheticEmbedder.ID));
        }
        Path models = dir.resolve("flooded");
        Map<String, Double> trust = Map.of("acme", 1.0, "globex", 1.0, "initech", 1.0, "mallory", 1.0, "eve", 0.0);

        Retrainer.Result result = retrainer(models, outcomes, trust, 20).retrain(serving);

        assertThat(result.corrections()).isEqualTo(80);
        assertThat(result.bounds().cappedByTenant()).isEqualTo(Map.of("mallory", 480));
        assertThat(result.bounds().untrustedByTenant()).isEqualTo(Map.of("eve", 300));
        assertThat(result.bounds().items().stream().filter(e -> e.domain().equals("legal")).count()).isEqualTo(20);
        RouterModel candidate = RouterModelLoader.load(result.dir(), SyntheticEmbedder.ID);
        assertThat(share(candidate, "sql", "legal")).as("the flood did not decide").isLessThan(0.2);
        assertThat(share(candidate, "sql", "code")).as("the honest majority did").isGreaterThan(0.7);
        assertThat(result.dir().resolve("metadata.json")).content()
                .contains("\"cappedByTenant\" : {", "\"mallory\" : 480", "\"eve\" : 300", "\"maxPerTenant\" : 20");
    }

    @Test
    void aSecondRunEmbedsNothingTheCacheHolds() {
        // The serving router's training (before all) filled the cache.
        Path models = dir.resolve("cached");
        int before = embedder.calls.get();
        Retrainer.Result again = retrainer(models, List.of()).retrain(serving);
        assertThat(embedder.calls.get()).isEqualTo(before);
        assertThat(again.version()).isEqualTo("v1");
    }

    @Test
    void theTrainCommandNoLongerPromotesWithoutBeingForced() {
        Path models = dir.resolve("train");
        TrainOptions options = TrainOptions.parse(new String[] {"--examples", examples.toString(), "--out",
                models.toString(), "--version", "t1", "--members", "1", "--epochs", "5"});
        new TrainCommand(embedder, new PromptTextSelector(), new PrintStream(new ByteArrayOutputStream(), true)).train(options);
        assertThat(models.resolve("t1/metadata.json")).exists();
        assertThat(models.resolve("current")).doesNotExist();
    }

    /** The verdict as the docs' gates table shows it (the test's output is the record of a real run). */
    static void print(String run, Retrainer.Result result) {
        System.out.printf(java.util.Locale.ROOT, "gates of %s (%s, %d regression rows, serving macro recall %.4f):%n", run,
                result.version(), result.verdict().rows(), result.verdict().servingMacroRecall());
        result.verdict().gates().forEach((name, g) -> System.out.printf(java.util.Locale.ROOT,
                "| %s | %.4f | %.4f | %s |%n", name, g.value(), g.threshold(), g.passed() ? "passed" : "FAILED"));
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
