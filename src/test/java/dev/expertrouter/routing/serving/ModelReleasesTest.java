package dev.expertrouter.routing.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.GatewayClock;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.metrics.RoutingMetrics;
import dev.expertrouter.metrics.ScorecardMetrics;
import dev.expertrouter.outcomes.OutcomeHistory;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import dev.expertrouter.training.PlantedConfusion;
import dev.expertrouter.training.PromotionGates;
import dev.expertrouter.training.ReleaseHistory;
import dev.expertrouter.training.Retrainer;
import dev.expertrouter.training.SyntheticEmbedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.inject.Instance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release cycle behind {@code POST /admin/router/retrain}, without Quarkus: a serving router
 * ({@code v1}, trained on {@link PlantedConfusion}'s four topics, filing {@code sql} under
 * {@code math}) and 150 feedback corrections of {@code sql} to {@code code} in the outcome history.
 * The candidate passes every gate; with {@code router.retrain.auto-promote} it must then serve
 * (in place, in {@code current}, in the history and the versions listing), without it it must
 * only shadow.
 */
class ModelReleasesTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    static Path examples;
    static Path mmlu;

    private ShadowRouter shadow;
    /** Reads of the outcome history: one per retrain, shared by the router's and the quality step. */
    private final java.util.concurrent.atomic.AtomicInteger historyReads = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void trainV1() throws IOException {
        examples = PlantedConfusion.writeExamples(shared.resolve("domains"));
        // The release cycle reads router.retrain.mmlu-dir; empty files keep the data to the four topics.
        mmlu = Files.createDirectories(shared.resolve("mmlu"));
        Files.writeString(mmlu.resolve("mmlu_val.jsonl"), "");
        Files.writeString(mmlu.resolve("mmlu_dev.jsonl"), "");
        Retrainer.Settings settings = new Retrainer.Settings(Optional.empty(), examples, shared.resolve("models"),
                Optional.of(shared.resolve("cache")), 3, Duration.ofDays(30), 10_000, 2, 0, 25,
                new PromotionGates.Settings(0.01, 0.03, 0.10), Retrainer.Settings.DEFAULT_MAX_CORRECTIONS_PER_TENANT);
        Retrainer.Result v1 = new Retrainer(settings, PlantedConfusion.EMBEDDER, new PromptTextSelector(), Optional.empty(),
                tenant -> OptionalDouble.of(1.0), GatewayClock.SYSTEM, new PrintStream(new ByteArrayOutputStream(), true)).retrain(null);
        assertThat(v1.version()).isEqualTo("v1");
    }

    @AfterEach
    void closeShadow() {
        if (shadow != null) {
            shadow.close();
        }
    }

    @Test
    void aCandidateThatPassesEveryGateIsPromotedAndServesInPlace() throws Exception {
        Path models = servingV1();
        ServingRouter router = router(models);
        assertThat(routed(router, "sql", "math")).as("v1 files sql under math").isGreaterThan(0.8);
        ModelReleases releases = releases(models, router, true);

        ModelReleases.RetrainOutcome outcome = releases.retrain().get(3, TimeUnit.MINUTES);

        assertThat(outcome.result().version()).isEqualTo("v2");
        assertThat(outcome.result().verdict().failed()).isEmpty();
        assertThat(outcome.promoted()).as(outcome.note()).isTrue();
        assertThat(outcome.note()).isEqualTo("promoted");
        assertThat(historyReads.get()).as("the router's and the quality step learn from one read").isEqualTo(1);
        assertThat(outcome.quality().ratedOutcomes()).as("the quality step saw the read's 150 rated outcomes")
                .isEqualTo(150);
        assertThat(router.version()).isEqualTo("v2");
        assertThat(router.classify(prompt("sql 1234")).routerVersion()).isEqualTo("v2");
        assertThat(routed(router, "sql", "code")).as("the swapped-in router learnt the correction").isGreaterThan(0.8);
        assertThat(routed(router, "math", "math")).isGreaterThan(0.9);
        assertThat(Files.readString(models.resolve("current")).strip()).isEqualTo("v2");
        assertThat(new ReleaseHistory(models).versions()).containsExactly("v1", "v2");
        assertThat(PlantedConfusion.share(RouterModelLoader.load(models.resolve("v2"), SyntheticEmbedder.ID), "sql",
                "code")).isGreaterThan(0.8);
        ObjectNode versions = releases.versions();
        assertThat(versions.path("serving").asText()).isEqualTo("v2");
        assertThat(versions.path("history").toString()).isEqualTo("[\"v1\",\"v2\"]");
        assertThat(servingFlags(versions)).isEqualTo(Map.of("v1", false, "v2", true));
        assertThat(shadow.stats()).as("a promoted candidate does not also shadow").isEmpty();
    }

    @Test
    void withAutoPromoteOffAPassingCandidateOnlyShadows() throws Exception {
        Path models = servingV1();
        ServingRouter router = router(models);
        ModelReleases releases = releases(models, router, false);

        ModelReleases.RetrainOutcome outcome = releases.retrain().get(3, TimeUnit.MINUTES);

        assertThat(outcome.result().version()).isEqualTo("v2");
        assertThat(outcome.result().verdict().passed()).isTrue();
        assertThat(outcome.promoted()).isFalse();
        assertThat(outcome.note()).isEqualTo("gates passed; router.retrain.auto-promote is off");
        assertThat(router.version()).isEqualTo("v1");
        assertThat(router.classify(prompt("sql 1234")).routerVersion()).isEqualTo("v1");
        assertThat(routed(router, "sql", "math")).isGreaterThan(0.8);
        assertThat(Files.readString(models.resolve("current")).strip()).isEqualTo("v1");
        assertThat(new ReleaseHistory(models).versions()).containsExactly("v1");
        assertThat(shadow.stats()).map(ShadowRouter.Stats::version).contains("v2");
        ObjectNode versions = releases.versions();
        assertThat(versions.path("serving").asText()).isEqualTo("v1");
        assertThat(servingFlags(versions)).isEqualTo(Map.of("v1", true, "v2", false));
    }

    /** A models root holding v1 (copied from the shared training), serving. */
    private Path servingV1() throws IOException {
        Path models = dir.resolve("models");
        Path v1 = Files.createDirectories(models.resolve("v1"));
        try (var files = Files.list(shared.resolve("models/v1"))) {
            for (Path f : files.toList()) {
                Files.copy(f, v1.resolve(f.getFileName()));
            }
        }
        new ReleaseHistory(models).promoted("v1");
        return models;
    }

    private static ServingRouter router(Path models) {
        RouterSettings settings = config(RouterSettings.class, Map.of("modelsDir", models.toString(),
                "modelVersion", Optional.empty()));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ServingRouter router = new ServingRouter(settings,
                new RoutingMetrics(registry, new ScorecardMetrics(registry, settings), GatewayClock.SYSTEM),
                () -> PlantedConfusion.EMBEDDER);
        router.onStart(null);
        assertThat(router.version()).isEqualTo("v1");
        return router;
    }

    private ModelReleases releases(Path models, ServingRouter router, boolean autoPromote) {
        RouterSettings.Retrain.Quality quality = config(RouterSettings.Retrain.Quality.class, Map.of(
                "minRatedOutcomes", 300, "goodThreshold", 0.5, "juryWeight", 0.5, "heldOutShare", 0.2, "epochs", 80,
                "maxRatedPerTenant", 2000, "verifierMinRated", 300, "verifierMinAuc", 0.65));
        RouterSettings.Retrain retrain = config(RouterSettings.Retrain.class, Map.ofEntries(
                Map.entry("autoPromote", autoPromote), Map.entry("mmluDir", mmlu.toString()),
                Map.entry("examplesDir", examples.toString()),
                Map.entry("embeddingCacheDir", Optional.of(shared.resolve("cache").toString())),
                Map.entry("correctionWeight", 3), Map.entry("window", Duration.ofDays(30)),
                Map.entry("maxOutcomes", 10_000), Map.entry("members", 2), Map.entry("refitFolds", 0),
                Map.entry("epochs", 25), Map.entry("maxCorrectionsPerTenant", 200), Map.entry("quality", quality)));
        RouterSettings.Gates gates = config(RouterSettings.Gates.class, Map.of("recallEpsilon", 0.01,
                "maxNegativeFlipRate", 0.03, "maxEce", 0.10));
        RouterSettings settings = config(RouterSettings.class, Map.of("modelsDir", models.toString(),
                "modelVersion", Optional.empty(), "retrain", retrain, "gates", gates));
        List<RatedOutcome> corrections = PlantedConfusion.corrections(150, Instant.now().minusSeconds(3600));
        OutcomeHistory history = (since, limit) -> {
            historyReads.incrementAndGet();
            return corrections.stream().filter(o -> !o.outcome().time().isBefore(since)).limit(limit).toList();
        };
        shadow = new ShadowRouter(0, 10);
        // the tenants (and their trust) of the shipped config: PlantedConfusion's corrections are tenant demo's
        RouterConfig shipped = new ConfigLoader(name -> null).load(Path.of("config"));
        ConfigHolder tenants = new ConfigHolder(settings, new SimpleMeterRegistry()) {
            @Override
            public RouterConfig current() {
                return shipped;
            }
        };
        return new ModelReleases(settings, router, shadow, instance(history), GatewayClock.SYSTEM,
                new ServingQualityPredictor(settings), tenants, new ServingVerifiers(settings));
    }

    private static Map<String, Boolean> servingFlags(JsonNode versions) {
        return StreamSupport.stream(versions.path("versions").spliterator(), false).collect(
                java.util.stream.Collectors.toMap(v -> v.path("version").asText(), v -> v.path("serving").asBoolean()));
    }

    /** The share of 50 unseen {@code topic} prompts the serving router files under {@code domain}. */
    private static double routed(ServingRouter router, String topic, String domain) {
        int hits = 0;
        for (int i = 2000; i < 2050; i++) {
            hits += router.classify(prompt(topic + " " + i)).domain().equals(domain) ? 1 : 0;
        }
        return hits / 50.0;
    }

    private static ChatPrompt prompt(String text) {
        return new ChatPrompt(List.of(new ChatPrompt.Turn("user", text)));
    }

    /** A config mapping answering the named settings, and refusing any other (so the test states all it uses). */
    @SuppressWarnings("unchecked")
    static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("toString")) {
                return type.getSimpleName() + values;
            }
            if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName() + " not set by the test");
            }
            return values.get(method.getName());
        });
    }

    @SuppressWarnings("unchecked")
    private static Instance<OutcomeHistory> instance(OutcomeHistory history) {
        return (Instance<OutcomeHistory>) Proxy.newProxyInstance(Instance.class.getClassLoader(),
                new Class<?>[] {Instance.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isResolvable" -> true;
                    case "get" -> history;
                    default -> throw new UnsupportedOperationException("Instance." + method.getName());
                });
    }
}
