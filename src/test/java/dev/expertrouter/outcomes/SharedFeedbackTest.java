package dev.expertrouter.outcomes;

import static dev.expertrouter.outcomes.OutcomeFixtures.await;
import static dev.expertrouter.outcomes.OutcomeFixtures.outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.routing.policy.ExpertStats;
import dev.expertrouter.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feedback in Redis: joined from any instance, stored once, shared by replicas, rebuilt at start-up. */
class SharedFeedbackTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:05Z");
    /** Feedback time comes from the gateway's clock: fixed here. */
    private static final GatewayClock CLOCK = new GatewayClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return NOW;
        }
    };

    @TempDir
    Path spoolDir;

    private final RedisServer server = new RedisServer();
    private Vertx vertx;
    private Redis redis;
    private OutcomeStore store;
    private final List<AutoCloseable> open = new ArrayList<>();

    /** One gateway instance's outcome and feedback side. */
    private final class Instance {
        final ExpertStats stats = new ExpertStats(256, 0.2, 20, 2);
        final FeedbackLearning learning = new FeedbackLearning(stats, tenant -> OptionalDouble.of(1.0));
        final RedisOutcomeSink sink;
        final FeedbackService feedback;
        final ExpertStatsFeed feed;

        Instance(String origin) throws Exception {
            sink = new RedisOutcomeSink(store, new OutcomeSpool(spoolDir.resolve(origin), 64 * 1024),
                    new RedisOutcomeSink.Settings(1000, Duration.ofDays(30), 1_000_000, Duration.ofMillis(200)),
                    GatewayClock.SYSTEM, origin, t -> false, new SimpleMeterRegistry());
            feedback = new FeedbackService(store, sink::find, learning, Duration.ofDays(30), CLOCK, origin);
            feed = new ExpertStatsFeed(store, learning, origin, 1000, Duration.ofMillis(200)).start();
            open.add(feed);
            open.add(sink);
        }
    }

    @BeforeEach
    void setUp() {
        server.start();
        vertx = Vertx.vertx();
        redis = OutcomeFixtures.client(vertx, server);
        store = OutcomeFixtures.store(redis);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        redis.close();
        vertx.close();
        server.stop();
    }

    @Test
    void feedbackJoinsAnOutcomeRecordedBeforeARestart() throws Exception {
        Instance before = new Instance("gw-1");
        before.sink.record(outcome("req-1", "alpha"));
        before.sink.record(outcome("req-failed", "alpha", "med-expert", "medical", 503, null));
        await("outcomes in Redis", DEADLINE, () -> store.length(OutcomeStore.OUTCOMES) == 2);
        before.feed.close();
        before.sink.close();

        Instance after = new Instance("gw-2");
        FeedbackService.Accepted ok = after.feedback.submit("alpha", "req-1", 0.9, Optional.empty());

        assertThat(ok.feedback().expert()).isEqualTo("med-expert");
        assertThat(ok.feedback().routedDomain()).isEqualTo("medical");
        assertThat(ok.feedback().time()).isEqualTo(NOW);
        assertThat(ok.learned()).isTrue();
        assertThat(refusal(() -> after.feedback.submit("alpha", "req-1", 0.1, Optional.empty()))).isEqualTo(FeedbackService.Refusal.ALREADY_RATED);
        assertThat(refusal(() -> after.feedback.submit("beta", "req-1", 0.1, Optional.empty()))).isEqualTo(FeedbackService.Refusal.UNKNOWN_REQUEST);
        assertThat(refusal(() -> after.feedback.submit("alpha", "never-sent", 0.1, Optional.empty()))).isEqualTo(FeedbackService.Refusal.UNKNOWN_REQUEST);
        assertThat(refusal(() -> after.feedback.submit("alpha", "req-failed", 0.1, Optional.empty()))).isEqualTo(FeedbackService.Refusal.NO_ANSWER);
        assertThat(store.feedback(List.of("req-1", "req-failed"))).containsExactly(Optional.of(ok.feedback()), Optional.empty());
    }

    @Test
    void aRatedOutcomeWithoutADomainIsStoredUnderUnknownAndReadsBack() throws Exception {
        Instance a = new Instance("gw-a");
        // a forced request whose classification for the record was dropped: no domain
        a.sink.record(outcome("r-nodomain", "alpha", "med-expert", null, 200, null));
        await("outcome in Redis", DEADLINE, () -> store.length(OutcomeStore.OUTCOMES) == 1);

        FeedbackService.Accepted ok = a.feedback.submit("alpha", "r-nodomain", 1.0, Optional.of("medical"));

        assertThat(ok.feedback().routedDomain()).isEqualTo("unknown");
        assertThat(store.feedback(List.of("r-nodomain"))).containsExactly(Optional.of(ok.feedback()));
    }

    @Test
    void feedbackOnOneReplicaMovesTheOthersEstimateAndEachAppliesItOnce() throws Exception {
        Instance a = new Instance("gw-a");
        Instance b = new Instance("gw-b");
        a.sink.record(outcome("r-a", "alpha"));
        b.sink.record(outcome("r-b", "beta"));
        await("outcomes in Redis", DEADLINE, () -> store.length(OutcomeStore.OUTCOMES) == 2);

        a.feedback.submit("alpha", "r-a", 1.0, Optional.empty());
        assertThat(a.stats.feedbackCount("med-expert", "medical")).as("the poster applies it at once").isEqualTo(1);
        await("replica b learns a's feedback", DEADLINE, () -> b.stats.feedbackCount("med-expert", "medical") == 1);

        b.feedback.submit("beta", "r-b", 0.0, Optional.empty());
        // b's entry comes after a's own in the stream: once a has b's, it has passed (and skipped) its own
        await("replica a learns b's feedback", DEADLINE, () -> a.stats.feedbackCount("med-expert", "medical") >= 2);
        assertThat(a.stats.feedbackCount("med-expert", "medical")).isEqualTo(2);
        assertThat(b.stats.feedbackCount("med-expert", "medical")).isEqualTo(2);
        assertThat(a.stats.quality("med-expert", "medical", 0.87)).isEqualTo(b.stats.quality("med-expert", "medical", 0.87));
        // each learned the other's answer latency from the outcome stream, not its own a second time
        await("latency shared", DEADLINE, () -> a.feed.outcomesApplied() == 1 && b.feed.outcomesApplied() == 1);
        await("own outcomes passed over", DEADLINE, () -> a.feed.ownOutcomesPassed() == 1 && b.feed.ownOutcomesPassed() == 1);

        Instance restarted = new Instance("gw-c");
        await("start-up replay", DEADLINE, restarted.feed::caughtUp);
        assertThat(restarted.stats.feedbackCount("med-expert", "medical")).isEqualTo(2);
        assertThat(restarted.stats.quality("med-expert", "medical", 0.87)).isEqualTo(a.stats.quality("med-expert", "medical", 0.87));
        assertThat(restarted.stats.latencyMs("med-expert")).hasValue(380);
    }

    @Test
    void aReplicaPassesOverItsOwnOutcomesByTheStreamsOriginFieldWithoutDecodingThem() throws Exception {
        OutcomeRecord mine = outcome("r-mine", "alpha");
        OutcomeRecord theirs = outcome("r-theirs", "beta");
        // its own entry is not even valid JSON: decoding it would fail (and log); passing it over does not
        store.writeOutcomes(List.of(new OutcomeStore.Pending("gw-a", mine, "{not json"),
                // an entry of a writer that predates the origin field: decoded, and its envelope says whose it is
                new OutcomeStore.Pending(null, theirs, OutcomeCodec.encode(new OutcomeCodec.Envelope("gw-b", theirs)))),
                Duration.ofDays(1), 1_000_000);
        assertThat(store.range(OutcomeStore.OUTCOMES, "-", 10)).extracting(e -> e.fields().get("origin")).containsExactly("gw-a", "");

        Instance a = new Instance("gw-a");
        await("start-up replay", DEADLINE, a.feed::caughtUp);
        assertThat(a.feed.ownOutcomesPassed()).isEqualTo(1);
        assertThat(a.feed.outcomesApplied()).isEqualTo(1);
        assertThat(a.stats.latencyMs("med-expert")).hasValue(380);
    }

    @Test
    void anOutcomeStillOnItsWayToRedisCanBeRatedAndRedisAwayMeansRetryLater() throws Exception {
        Instance a = new Instance("gw-a");
        server.stop();
        a.sink.record(outcome("r-spooled", "alpha"));
        await("spooled", DEADLINE, () -> a.sink.state().spooled() == 1);

        assertThat(refusal(() -> a.feedback.submit("alpha", "r-spooled", 1.0, Optional.empty())))
                .isEqualTo(FeedbackService.Refusal.STORE_UNAVAILABLE);

        server.start();
        // the feedback may arrive before the spool drains: the local index of recent outcomes joins it
        FeedbackService.Accepted ok = a.feedback.submit("alpha", "r-spooled", 1.0, Optional.empty());
        assertThat(ok.feedback().expert()).isEqualTo("med-expert");
        await("spool drained", DEADLINE, () -> a.sink.state().spooled() == 0 && store.length(OutcomeStore.OUTCOMES) == 1);
    }

    @Test
    void historyReadsOutcomesSinceATimeJoinedWithTheirFeedback() throws Exception {
        Instance a = new Instance("gw-a");
        a.sink.record(outcome("h-1", "alpha"));
        a.sink.record(outcome("h-2", "alpha"));
        OutcomeRecord old = outcome("h-old", "alpha");
        a.sink.record(new OutcomeRecord(old.requestId(), Instant.parse("2020-01-01T00:00:00Z"), old.tenant(), old.policy(),
                old.routerVersion(), old.domain(), old.confidence(), old.scores(), old.forced(), old.expert(), old.candidates(),
                old.fallbacks(), old.status(), old.errorCode(), old.upstreamStatus(), old.stream(), old.latencyMs(),
                old.promptTokens(), old.completionTokens(), old.costUsd(), old.savedUsd(), old.promptSha256(), old.embedding(),
                old.embedderId(), old.upstreamLatencyMs(), null, false, null, false));
        await("written", DEADLINE, () -> store.length(OutcomeStore.OUTCOMES) == 3);
        a.feedback.submit("alpha", "h-2", 0.5, Optional.of("legal"));

        List<RatedOutcome> history = new RedisOutcomeHistory(store).read(OutcomeFixtures.T0, 10);

        assertThat(history).extracting(r -> r.outcome().requestId()).containsExactly("h-1", "h-2");
        assertThat(history.get(0).feedback()).isEmpty();
        assertThat(history.get(1).feedback()).hasValueSatisfying(f -> assertThat(f.correctedDomain()).hasValue("legal"));
        assertThat(history.get(1).outcome().embedding()).containsExactly(outcome("h-2", "alpha").embedding());
        assertThat(new RedisOutcomeHistory(store).read(OutcomeFixtures.T0, 1)).hasSize(1);
    }

    @Test
    void feedbackIsKeptForTheConfiguredRetentionAndTheStreamTrimmedBehindIt() throws Exception {
        Instance a = new Instance("gw-a");
        int rated = 300;
        for (int i = 0; i < rated; i++) {
            a.sink.record(outcome("kept-" + i, "alpha"));
        }
        a.sink.record(outcome("late", "alpha"));
        await("outcomes in Redis", DEADLINE, () -> store.length(OutcomeStore.OUTCOMES) == rated + 1);
        Duration hour = Duration.ofHours(1);
        FeedbackService hourly = new FeedbackService(store, a.sink::find, a.learning, hour, GatewayClock.SYSTEM, "gw-a");
        for (int i = 0; i < rated; i++) {
            hourly.submit("alpha", "kept-" + i, 0.8, Optional.empty());
        }

        assertThat(ttlSeconds("router:feedback:kept-0")).as("router.feedback.retention").isBetween(hour.toSeconds() - 60,
                hour.toSeconds());
        assertThat(ttlSeconds("router:outcome:kept-0")).as("router.outcomes.retention (the index feedback joins)")
                .isBetween(Duration.ofDays(30).toSeconds() - 60, Duration.ofDays(30).toSeconds());
        assertThat(store.length(OutcomeStore.FEEDBACK)).as("all within the retention").isEqualTo(rated);

        // Retention is wall-clock time on the stream's ids: let a second pass, then rate with a 1 s retention.
        long lastKept = Long.parseLong(store.lastId(OutcomeStore.FEEDBACK).split("-")[0]);
        await("a second passes", DEADLINE, () -> System.currentTimeMillis() > lastKept + 1_100);
        Duration second = Duration.ofSeconds(1);
        new FeedbackService(store, a.sink::find, a.learning, second, GatewayClock.SYSTEM, "gw-a")
                .submit("alpha", "late", 0.8, Optional.empty());

        // MINID ~ drops whole macro nodes older than the retention: at most the node holding the new entry keeps older ones.
        assertThat(store.length(OutcomeStore.FEEDBACK)).isBetween(1L, 100L);
        assertThat(store.newest(OutcomeStore.FEEDBACK, 1).get(0).fields().get("id")).isEqualTo("late");
        await("the feedback expires after its retention", DEADLINE, () -> store.feedback(List.of("late")).get(0).isEmpty());
        assertThat(store.feedback(List.of("kept-0")).get(0)).as("an hour's retention still holds").isPresent();
    }

    private long ttlSeconds(String key) {
        String reply = server.command("TTL " + key);
        assertThat(reply).startsWith(":");
        return Long.parseLong(reply.substring(1));
    }

    private static FeedbackService.Refusal refusal(Runnable call) {
        try {
            call.run();
        } catch (FeedbackService.Refused e) {
            return e.reason();
        }
        throw new AssertionError("expected a refusal");
    }
}
