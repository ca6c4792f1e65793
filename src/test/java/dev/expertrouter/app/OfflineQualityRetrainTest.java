package dev.expertrouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeCodec;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.OutcomeStore;
import dev.expertrouter.routing.quality.QualityModelFiles;
import dev.expertrouter.routing.quality.QualityFeatures;
import dev.expertrouter.routing.quality.QualityModelLoader;
import dev.expertrouter.routing.quality.QualityPredictor;
import dev.expertrouter.testing.RedisServer;
import dev.expertrouter.training.PlantedConfusion;
import dev.expertrouter.training.SyntheticEmbedder;
import dev.expertrouter.training.quality.QualityRelease;
import io.smallrye.config.WithDefault;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline {@code retrain} trains the quality predictor as the gateway's retrain does. Rated
 * outcomes in a private Redis, all routed to {@code math}, plant a per-prompt pattern: expert
 * {@code cheap} answers {@code math} prompts well and {@code sql} prompts (which the router files
 * under math too) badly, {@code strong} is good at both. A per-domain estimate cannot tell them
 * apart; the predictor trained by {@code retrain --redis} must, and it must land in the new version.
 * A later retrain without {@code --redis} carries it into the next version instead of dropping it.
 */
class OfflineQualityRetrainTest {

    @TempDir
    Path dir;

    @Test
    void retrainWithRedisTrainsTheQualityPredictorAndALaterRetrainWithoutRedisCarriesIt() throws Exception {
        Path models = dir.resolve("models");
        String[] common = {"--models", models.toString(), "--examples",
                PlantedConfusion.writeExamples(dir.resolve("domains")).toString(), "--no-data", "--members", "1",
                "--epochs", "10", "--embedding-cache", dir.resolve("cache").toString(), "--max-ece", "0.10",
                "--config", Path.of("config").toAbsolutePath().toString()};

        OfflineRetrainTest.Run first = OfflineRetrainTest.run(common);
        assertThat(first.code()).as(first.out()).isZero();
        assertThat(first.out()).contains("quality predictor of v1: skipped (no outcome log to learn from)");
        assertThat(models.resolve("v1").resolve(QualityModelFiles.DIRECTORY)).doesNotExist();

        try (RedisServer redis = new RedisServer().start()) {
            seed(redis, 480);
            OfflineRetrainTest.Run second = OfflineRetrainTest.run(OfflineRetrainTest.concat(common, "--redis", redis.url(),
                    "--quality-min-rated", "300", "--quality-epochs", "60"));

            assertThat(second.code()).as(second.out()).isZero();
            assertThat(second.out()).contains("quality predictor of v2: trained (gate against the",
                    "quality gate against the", "v2 promoted");
        }
        QualityPredictor predictor = QualityModelLoader.load(models.resolve("v2").resolve(QualityModelFiles.DIRECTORY));
        assertThat(predictor.version()).isEqualTo("v2");
        assertThat(predictor.experts()).containsExactlyInAnyOrder("cheap", "strong");
        double cheapOnMath = mean(predictor, "cheap", "math");
        double cheapOnSql = mean(predictor, "cheap", "sql");
        assertThat(cheapOnMath - cheapOnSql).as("cheap on math %.2f, on sql %.2f", cheapOnMath, cheapOnSql)
                .isGreaterThan(0.4);
        assertThat(mean(predictor, "strong", "sql")).isGreaterThan(cheapOnSql + 0.3);
        assertThat(Files.readString(models.resolve("v2").resolve(QualityRelease.REPORT))).contains("\"status\" : \"trained\"");

        OfflineRetrainTest.Run third = OfflineRetrainTest.run(common);
        assertThat(third.code()).as(third.out()).isZero();
        assertThat(third.out()).contains("quality predictor of v3: skipped (no outcome log to learn from); "
                + "serving predictor of v2 carried");
        assertThat(QualityModelLoader.load(models.resolve("v3").resolve(QualityModelFiles.DIRECTORY)).version())
                .as("the carried predictor keeps the version it was trained in").isEqualTo("v2");
    }

    @Test
    void theQualityOptionsAreCheckedBeforeAnythingIsTrained() throws Exception {
        Path models = dir.resolve("models");
        OfflineRetrainTest.Run run = OfflineRetrainTest.run(new String[] {"--models", models.toString(), "--examples",
                PlantedConfusion.writeExamples(dir.resolve("domains")).toString(), "--no-data",
                "--max-rated-per-tenant", "0"});
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).contains("max-rated-per-tenant must be >= 1, got 0");
        assertThat(models.resolve("v1")).doesNotExist();
    }

    @Test
    void theOfflineRetrainsQualityDefaultsAreTheGatewaysDefaults() throws Exception {
        // the CLI cannot read the gateway's config mapping, so the two sets of defaults are kept apart: keep them equal
        Class<?> q = RouterSettings.Retrain.Quality.class;
        assertThat(Integer.parseInt(gatewayDefault(q, "minRatedOutcomes")))
                .isEqualTo(QualityRelease.Settings.DEFAULT_MIN_RATED_OUTCOMES);
        assertThat(Double.parseDouble(gatewayDefault(q, "goodThreshold"))).isEqualTo(QualityRelease.Settings.DEFAULT_GOOD_THRESHOLD);
        assertThat(Double.parseDouble(gatewayDefault(q, "juryWeight"))).isEqualTo(QualityRelease.Settings.DEFAULT_JURY_WEIGHT);
        assertThat(Double.parseDouble(gatewayDefault(q, "heldOutShare"))).isEqualTo(QualityRelease.Settings.DEFAULT_HELD_OUT_SHARE);
        assertThat(Integer.parseInt(gatewayDefault(q, "epochs"))).isEqualTo(QualityRelease.Settings.DEFAULT_EPOCHS);
        assertThat(Integer.parseInt(gatewayDefault(q, "maxRatedPerTenant")))
                .isEqualTo(QualityRelease.Settings.DEFAULT_MAX_RATED_PER_TENANT);
    }

    private static String gatewayDefault(Class<?> mapping, String setting) throws NoSuchMethodException {
        return mapping.getMethod(setting).getAnnotation(WithDefault.class).value();
    }

    /** Mean predicted good-answer probability of {@code expert} over 50 unseen {@code topic} prompts. */
    private static double mean(QualityPredictor predictor, String expert, String topic) {
        double sum = 0;
        for (int i = 2000; i < 2050; i++) {
            float[] e = PlantedConfusion.EMBEDDER.embed(topic + " " + i);
            double[] p = predictor.probabilities(QualityFeatures.of(e, Map.of("math", 0.9, "code", 0.1),
                    predictor.domains(), 40));
            sum += p[predictor.indexOf(expert)];
        }
        return sum / 50;
    }

    /** {@code n} outcomes routed to math, half math and half sql prompts, each rated by its tenant. */
    private static void seed(RedisServer server, int n) {
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
        try {
            OutcomeStore store = new OutcomeStore(redis, Duration.ofSeconds(10));
            Instant start = Instant.now().minus(Duration.ofHours(2));
            Random random = new Random(3);
            List<OutcomeStore.Pending> outcomes = new ArrayList<>();
            List<Feedback> feedback = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String topic = i % 2 == 0 ? "math" : "sql";
                String expert = random.nextBoolean() ? "cheap" : "strong";
                double pGood = expert.equals("strong") ? 0.85 : topic.equals("math") ? 0.9 : 0.1;
                Instant at = start.plusSeconds(i);
                String id = "q-" + i;
                OutcomeRecord record = new OutcomeRecord(id, at, "demo", "balanced", "v1", "math", 0.9,
                        Map.of("math", 0.9, "code", 0.1), false, expert, List.of(expert), List.of(), 200, null, 200,
                        false, 10, 40, 5, 0.0, 0.0, "sha", PlantedConfusion.EMBEDDER.embed(topic + " " + i),
                        SyntheticEmbedder.ID, 5, null, false, null, false);
                outcomes.add(OutcomeStore.Pending.of(new OutcomeCodec.Envelope("test", record)));
                feedback.add(new Feedback(id, "demo", expert, "math", Optional.empty(),
                        random.nextDouble() < pGood ? 1.0 : 0.0, Feedback.Source.USER, at.plusSeconds(1)));
            }
            assertThat(store.writeOutcomes(outcomes, Duration.ofDays(30), 1_000_000)).isEqualTo(n);
            for (Feedback f : feedback) {
                assertThat(store.addFeedback(f, "test", Duration.ofDays(30), f.time())).isPresent();
            }
        } finally {
            redis.close();
            vertx.close();
        }
    }
}
