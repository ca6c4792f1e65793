package dev.expertrouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeCodec;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.OutcomeStore;
import dev.expertrouter.testing.RedisServer;
import dev.expertrouter.training.PlantedConfusion;
import dev.expertrouter.training.SyntheticEmbedder;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline {@code retrain --redis} bounds each tenant's corrections as the gateway does, by the
 * trust in the config directory's tenants.yaml and the per-tenant cap, and refuses to run without
 * that file rather than trusting everyone.
 */
class OfflineRetrainBoundsTest {

    static final SyntheticEmbedder EMBEDDER = PlantedConfusion.EMBEDDER;

    @TempDir
    Path dir;

    @Test
    void aFloodingTenantIsCappedAndATrustZeroTenantIgnored() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("tenants.yaml"), """
                tenants:
                  - {name: acme, api-key-env: ACME_KEY_NOT_NEEDED_HERE}
                  - {name: mallory, api-key-env: MALLORY_KEY_NOT_NEEDED_HERE}
                  - {name: eve, api-key-env: EVE_KEY_NOT_NEEDED_HERE, trust: 0}
                """);
        try (RedisServer redis = new RedisServer().start()) {
            List<OutcomeStore.Pending> outcomes = new ArrayList<>();
            List<Feedback> feedback = new ArrayList<>();
            add(outcomes, feedback, "acme", 20, "code");
            add(outcomes, feedback, "mallory", 50, "legal");
            add(outcomes, feedback, "eve", 10, "legal");
            seed(redis, outcomes, feedback);

            OfflineRetrainTest.Run run = OfflineRetrainTest.run(new String[] {"--models", dir.resolve("models").toString(), "--examples", examples().toString(),
                    "--no-data", "--members", "1", "--epochs", "5", "--embedding-cache", dir.resolve("cache").toString(),
                    "--redis", redis.url(), "--config", config.toString(), "--max-corrections-per-tenant", "20"});

            assertThat(run.code()).as(run.out()).isZero();
            assertThat(run.out()).contains("tenants: trust of 3 from " + config.resolve("tenants.yaml"),
                    "40 corrected outcomes (weight 3) of 80 read", "corrections 40,",
                    "corrections left out: 30 over the cap of 20 per tenant {mallory=30}; "
                            + "10 of tenants with trust 0 or not configured {eve=10}");
            assertThat(Files.readString(dir.resolve("models/v1/metadata.json"))).contains("\"mallory\" : 30",
                    "\"eve\" : 10");
        }
    }

    @Test
    void withoutTheTenantsFileTheRetrainIsRefusedBeforeItReadsOrTrains() {
        Path models = dir.resolve("models");
        OfflineRetrainTest.Run run = OfflineRetrainTest.run(new String[] {"--models", models.toString(), "--no-data", "--config", dir.resolve("nowhere").toString(),
                "--redis", "redis://127.0.0.1:" + RedisServer.freePort()});
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).startsWith("retrain: --config: tenants.yaml: file not found in ")
                .contains("the tenants' trust bounds what their feedback teaches");
        assertThat(models.resolve("v1")).doesNotExist();
    }

    private static void add(List<OutcomeStore.Pending> outcomes, List<Feedback> feedback, String tenant, int n,
            String corrected) {
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            String id = tenant + "-" + i;
            OutcomeRecord record = new OutcomeRecord(id, now.minusSeconds(3600 - i), tenant, "balanced", "v1", "math", 0.9,
                    Map.of(), false, "expert-a", List.of("expert-a"), List.of(), 200, null, 200, false, 10, 5, 5, 0.0, 0.0,
                    "sha", EMBEDDER.embed("sql " + tenant + " " + i), SyntheticEmbedder.ID, 5, null, false, null,
                    false);
            outcomes.add(OutcomeStore.Pending.of(new OutcomeCodec.Envelope("test", record)));
            feedback.add(new Feedback(id, tenant, "expert-a", "math", Optional.of(corrected), 0.2, Feedback.Source.USER, now));
        }
    }

    private static void seed(RedisServer server, List<OutcomeStore.Pending> outcomes, List<Feedback> feedback) {
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
        try {
            OutcomeStore store = new OutcomeStore(redis, Duration.ofSeconds(10));
            assertThat(store.writeOutcomes(outcomes, Duration.ofDays(30), 1_000_000)).isEqualTo(outcomes.size());
            for (Feedback f : feedback) {
                assertThat(store.addFeedback(f, "test", Duration.ofDays(30), Instant.now())).isPresent();
            }
        } finally {
            redis.close();
            vertx.close();
        }
    }

    private Path examples() throws IOException {
        return PlantedConfusion.writeExamples(dir.resolve("domains"));
    }
}
