package dev.expertrouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeCodec;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.OutcomeStore;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.testing.RedisServer;
import dev.expertrouter.training.PlantedConfusion;
import dev.expertrouter.training.SyntheticEmbedder;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * The offline {@code retrain} command reads the outcome log: outcomes and feedback written to a
 * private Redis the way the gateway writes them, then the command's code path with a synthetic
 * embedder on four small topic clusters. {@code sql} prompts lie near {@code math}; a first
 * version that never saw them files them there; 150 corrections to {@code code} in Redis must reach
 * the candidate (counted, and learnt), while outcomes of another embedder, without a correction,
 * or older than the window do not.
 */
class OfflineRetrainTest {

    static final SyntheticEmbedder EMBEDDER = PlantedConfusion.EMBEDDER;

    @TempDir
    Path dir;

    @Test
    void retrainWithRedisLearnsTheCorrectionsTheOutcomeLogHolds() throws Exception {
        Path examples = examples();
        Path models = dir.resolve("models");
        String[] common = {"--models", models.toString(), "--examples", examples.toString(), "--no-data",
                "--members", "1", "--epochs", "10", "--embedding-cache", dir.resolve("cache").toString(),
                "--max-ece", "0.10",
                // the shipped tenants (demo, trust 1), named: the default, the gateway's config dir, is a
                // system property other tests in this JVM may have set
                "--config", Path.of("config").toAbsolutePath().toString()};

        Run first = run(common);
        assertThat(first.code).as(first.out).isZero();
        assertThat(first.out).contains("outcome log: none", "corrections 0", "v1 promoted");
        RouterModel v1 = RouterModelLoader.load(models.resolve("v1"), SyntheticEmbedder.ID);
        assertThat(PlantedConfusion.share(v1, "sql", "math")).as("the first version files sql under math").isGreaterThan(0.8);

        try (RedisServer redis = new RedisServer().start()) {
            seed(redis);

            Run second = run(concat(common, "--redis", redis.url()));

            assertThat(second.code).as(second.out).isZero();
            assertThat(second.out).contains("outcome log: " + redis.url() + ", 154 entries in router:outcomes",
                    "150 corrected outcomes (weight 3) of 153 read, judged against v1", "corrections 150", "v2 promoted");
            assertThat(Files.readString(models.resolve("current")).strip()).isEqualTo("v2");
            RouterModel v2 = RouterModelLoader.load(models.resolve("v2"), SyntheticEmbedder.ID);
            assertThat(PlantedConfusion.share(v2, "sql", "code")).as("the corrections were learnt").isGreaterThan(0.8);
            assertThat(PlantedConfusion.share(v2, "math", "math")).isGreaterThan(0.9);
            assertThat(Files.readString(models.resolve("v2/metadata.json"))).contains("\"corrections\"");
        }
    }

    @Test
    void aRedisThatDoesNotAnswerFailsTheRetrainBeforeItTrains() throws Exception {
        Path models = dir.resolve("models");
        Run run = run(new String[] {"--models", models.toString(), "--examples", examples().toString(), "--no-data",
                "--redis", "redis://127.0.0.1:" + RedisServer.freePort()});
        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).contains("no answer from Redis at redis://127.0.0.1:");
        assertThat(models.resolve("v1")).doesNotExist();
    }

    @Test
    void theWindowAcceptsDaysHoursAndIso() {
        assertThat(ReleaseCommands.Options.duration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(ReleaseCommands.Options.duration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(ReleaseCommands.Options.duration("PT90M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(run(new String[] {"--window", "soon"})).isEqualTo(new Run(2, "retrain: --window: not a duration: soon (e.g. 30d, 12h, PT90M)\n" + ReleaseCommands.USAGE));
    }

    /** 150 corrected sql outcomes, and three that must not count, written as the gateway writes them. */
    private static void seed(RedisServer server) {
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
        try {
            OutcomeStore store = new OutcomeStore(redis, Duration.ofSeconds(10));
            Instant now = Instant.now();
            List<OutcomeStore.Pending> outcomes = new ArrayList<>();
            List<Feedback> feedback = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                outcomes.add(outcome("sql-" + i, "sql " + i, SyntheticEmbedder.ID, now.minusSeconds(3600)));
                feedback.add(feedback("sql-" + i, Optional.of("code"), now));
            }
            // Read but not learnt from: another embedder's space, a rating without a correction, no rating.
            outcomes.add(outcome("other-space", "sql 900", "another-embedder", now.minusSeconds(3600)));
            feedback.add(feedback("other-space", Optional.of("code"), now));
            outcomes.add(outcome("no-correction", "sql 901", SyntheticEmbedder.ID, now.minusSeconds(3600)));
            feedback.add(feedback("no-correction", Optional.empty(), now));
            outcomes.add(outcome("unrated", "sql 903", SyntheticEmbedder.ID, now.minusSeconds(3600)));
            // Not read: older than the window.
            outcomes.add(outcome("too-old", "sql 902", SyntheticEmbedder.ID, now.minus(Duration.ofDays(40))));
            feedback.add(feedback("too-old", Optional.of("code"), now));
            assertThat(store.writeOutcomes(outcomes, Duration.ofDays(30), 1_000_000)).isEqualTo(154);
            for (Feedback f : feedback) {
                assertThat(store.addFeedback(f, "test", Duration.ofDays(30), now)).isPresent();
            }
        } finally {
            redis.close();
            vertx.close();
        }
    }

    private static OutcomeStore.Pending outcome(String id, String text, String embedderId, Instant time) {
        OutcomeRecord record = new OutcomeRecord(id, time, "demo", "balanced", "v1", "math", 0.9, Map.of(), false,
                "expert-a", List.of("expert-a"), List.of(), 200, null, 200, false, 10, 5, 5, 0.0, 0.0, "sha",
                EMBEDDER.embed(text), embedderId, 5, null, false, null, false);
        return OutcomeStore.Pending.of(new OutcomeCodec.Envelope("test", record));
    }

    private static Feedback feedback(String id, Optional<String> corrected, Instant time) {
        return new Feedback(id, "demo", "expert-a", "math", corrected, 0.2, Feedback.Source.USER, time);
    }

    private Path examples() throws IOException {
        return PlantedConfusion.writeExamples(dir.resolve("domains"));
    }

    /** A command's exit code and what it printed. */
    record Run(int code, String out) {
    }

    /** Runs {@code bin/gateway retrain ARGS} in-process with the synthetic embedder. */
    static Run run(String[] args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = ReleaseCommands.run("retrain", args, () -> EMBEDDER, out, out);
        return new Run(code, bytes.toString(StandardCharsets.UTF_8));
    }

    /** {@code a} followed by {@code b}: a run's options plus a few more. */
    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
