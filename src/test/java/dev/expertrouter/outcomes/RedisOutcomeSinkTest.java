package dev.expertrouter.outcomes;

import static dev.expertrouter.outcomes.OutcomeFixtures.await;
import static dev.expertrouter.outcomes.OutcomeFixtures.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.MetricNames;
import dev.expertrouter.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outcome log against a private redis-server: taken away, brought back, crashed mid-replay. */
class RedisOutcomeSinkTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path spoolDir;

    private final RedisServer server = new RedisServer();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Vertx vertx;
    private Redis redis;
    private OutcomeStore store;
    private final List<RedisOutcomeSink> sinks = new ArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        redis = OutcomeFixtures.client(vertx, server);
        store = OutcomeFixtures.store(redis);
    }

    @AfterEach
    void tearDown() {
        sinks.forEach(RedisOutcomeSink::close);
        redis.close();
        vertx.close();
        server.stop();
    }

    private RedisOutcomeSink sink(int queueCapacity) throws IOException {
        return sink(queueCapacity, 64 * 1024);
    }

    /** @param segmentBytes 64 KiB holds about 24 records, so most tests see several segments */
    private RedisOutcomeSink sink(int queueCapacity, long segmentBytes) throws IOException {
        return sink(queueCapacity, segmentBytes, 1_000_000);
    }

    private RedisOutcomeSink sink(int queueCapacity, long segmentBytes, long streamMaxLen) throws IOException {
        RedisOutcomeSink sink = new RedisOutcomeSink(store, new OutcomeSpool(spoolDir, segmentBytes),
                new RedisOutcomeSink.Settings(queueCapacity, Duration.ofDays(1), streamMaxLen, Duration.ofMillis(200)),
                GatewayClock.SYSTEM, "node-a", tenant -> tenant.equals("keeps-prompts"), registry);
        sinks.add(sink);
        return sink;
    }

    private Set<String> idsInStream() {
        return new HashSet<>(idsInStreamOrder());
    }

    /** The request ids in the stream, oldest entry first. */
    private List<String> idsInStreamOrder() {
        List<String> ids = new ArrayList<>();
        String after = "-";
        for (List<OutcomeStore.Entry> page; !(page = store.range(OutcomeStore.OUTCOMES, after, 500)).isEmpty(); ) {
            page.forEach(e -> ids.add(e.fields().get("id")));
            after = page.get(page.size() - 1).id();
        }
        return ids;
    }

    private static List<String> ids(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }

    private double count(String name) {
        return registry.find(name).counter() == null ? 0 : registry.find(name).counter().count();
    }

    @Test
    void redisStoppedMidLoadLosesNothingAndWritesNothingTwice() throws Exception {
        server.start();
        RedisOutcomeSink sink = sink(10_000);
        int total = 600;
        long slowestRecordNanos = 0;
        for (int i = 0; i < total; i++) {
            if (i == 300) {
                // saves what Redis holds and exits at once: every write it acknowledged survives the restart
                server.command("SHUTDOWN SAVE");
                await("redis-server gone", DEADLINE, () -> !server.isRunning());
            }
            long t = System.nanoTime();
            sink.record(outcome("load-" + i, "alpha"));
            slowestRecordNanos = Math.max(slowestRecordNanos, System.nanoTime() - t);
        }
        await("the spool fills while Redis is away", DEADLINE, () -> sink.state().spooled() > 0);
        assertThat(sink.state().redisReachable()).isFalse();
        assertThat(count(MetricNames.OUTCOME_WRITE_FAILURES)).isPositive();
        assertThat(Duration.ofNanos(slowestRecordNanos)).as("record() never waits for Redis").isLessThan(Duration.ofMillis(200));

        server.start();
        // made while the spool waits for its replay: they must land after it
        int later = 100;
        for (int i = 0; i < later; i++) {
            sink.record(outcome("later-" + i, "alpha"));
        }
        await("the spool drains", DEADLINE, () -> sink.state().spooled() == 0 && sink.state().queued() == 0
                && store.length(OutcomeStore.OUTCOMES) == total + later);
        assertThat(store.length(OutcomeStore.OUTCOMES)).isEqualTo(total + later);
        assertThat(idsInStream()).hasSize(total + later);
        List<String> recorded = new ArrayList<>(ids("load-", 0, total));
        recorded.addAll(ids("later-", 0, later));
        assertThat(idsInStreamOrder()).as("the stream holds the records in the order they were made")
                .containsExactlyElementsOf(recorded);
        assertThat(sink.state().redisReachable()).isTrue();
        assertThat(count(MetricNames.OUTCOMES_REPLAYED)).isPositive();
        try (Stream<Path> left = Files.list(spoolDir)) {
            assertThat(left).as("replayed segments are deleted").isEmpty();
        }
    }

    @Test
    void aCrashHalfwayThroughAReplayWritesNothingTwice() throws Exception {
        // one segment for all 100 records, so "half of the segment" is 50 of them
        RedisOutcomeSink down = sink(10_000, 4 * 1024 * 1024);
        for (int i = 0; i < 100; i++) {
            down.record(outcome("crash-" + i, "alpha"));
        }
        await("all spooled", DEADLINE, () -> down.state().spooled() == 100);
        down.close();
        sinks.remove(down);

        // the replayer that "crashed": it wrote the first half of the segment, then died before deleting it
        server.start();
        OutcomeSpool.Segment segment = new OutcomeSpool(spoolDir, 4 * 1024 * 1024).oldest().orElseThrow();
        assertThat(segment.records()).hasSize(100);
        List<OutcomeStore.Pending> half = segment.records().subList(0, 50).stream()
                .map(line -> OutcomeStore.Pending.of(OutcomeCodec.decode(line))).toList();
        assertThat(store.writeOutcomes(half, Duration.ofDays(1), 1_000_000)).isEqualTo(50);

        RedisOutcomeSink restarted = sink(10_000, 4 * 1024 * 1024);
        await("the spool drains again", DEADLINE, () -> restarted.state().spooled() == 0 && store.length(OutcomeStore.OUTCOMES) >= 100);
        assertThat(store.length(OutcomeStore.OUTCOMES)).isEqualTo(100);
        assertThat(idsInStream()).hasSize(100);
        // a second write of the same records is refused by the per-id index
        assertThat(store.writeOutcomes(half, Duration.ofDays(1), 1_000_000)).isZero();
    }

    @Test
    void aTornLastLineIsSkippedAndCounted() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lines.add(OutcomeCodec.encode(new OutcomeCodec.Envelope("node-old", outcome("torn-" + i, "alpha"))));
        }
        String torn = OutcomeCodec.encode(new OutcomeCodec.Envelope("node-old", outcome("torn-3", "alpha")));
        Files.writeString(spoolDir.resolve("segment-00000000000000000007.jsonl"),
                String.join("\n", lines) + "\n" + torn.substring(0, torn.length() / 2), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW);
        server.start();

        RedisOutcomeSink sink = sink(10_000);
        sink.record(outcome("after-crash", "alpha"));

        await("spool replayed and the new record written", DEADLINE, () -> store.length(OutcomeStore.OUTCOMES) == 4
                && sink.state().spooled() == 0);
        assertThat(idsInStream()).containsExactlyInAnyOrder("torn-0", "torn-1", "torn-2", "after-crash");
        assertThat(count(MetricNames.OUTCOME_SPOOL_TORN)).isEqualTo(1);
    }

    @Test
    void aFullQueueSpillsToTheSpoolInsteadOfDropping() throws Exception {
        server.start();
        RedisOutcomeSink sink = sink(1);
        for (int i = 0; i < 500; i++) {
            sink.record(outcome("burst-" + i, "alpha"));
        }
        await("every record in Redis", DEADLINE, () -> store.length(OutcomeStore.OUTCOMES) == 500 && sink.state().spooled() == 0);
        assertThat(idsInStream()).hasSize(500);
        // Not in order: a record the request path spills can overtake ones the writer holds (docs/learning-loop.md).
    }

    @Test
    void theStreamIsCappedNearTheConfiguredLength() throws Exception {
        server.start();
        long cap = 200;
        int total = 700;
        RedisOutcomeSink sink = sink(10_000, 64 * 1024, cap);
        for (int i = 0; i < total; i++) {
            sink.record(outcome("capped-" + i, "alpha"));
        }
        await("every record written", DEADLINE, () -> count(MetricNames.OUTCOMES_WRITTEN) == total
                && sink.state().queued() == 0 && sink.state().spooled() == 0);

        // XADD MAXLEN ~ drops whole macro nodes from the head only: the stream keeps at least the cap,
        // and less than the cap plus one node (stream-node-max-entries, 100 by default).
        long length = store.length(OutcomeStore.OUTCOMES);
        assertThat(length).isBetween(cap, cap + 99);
        assertThat(idsInStreamOrder()).as("the oldest go, the newest stay, in order")
                .containsExactlyElementsOf(ids("capped-", total - (int) length, total));
    }

    @Test
    void promptTextIsKeptOnlyForTenantsThatAllowIt() throws Exception {
        server.start();
        RedisOutcomeSink sink = sink(100);
        sink.record(outcome("p-1", "alpha", "med-expert", "medical", 200, "my card is 4111"));
        sink.record(outcome("p-2", "keeps-prompts", "med-expert", "medical", 200, "what is a fever"));
        await("both written", DEADLINE, () -> store.length(OutcomeStore.OUTCOMES) == 2);

        List<OutcomeStore.Entry> entries = store.range(OutcomeStore.OUTCOMES, "-", 10);
        assertThat(entries.get(0).fields().get("record")).doesNotContain("4111").contains("\"prompt_text\":null")
                .contains("\"prompt_sha256\":\"abab");
        assertThat(OutcomeCodec.decode(entries.get(1).fields().get("record")).outcome().promptText()).isEqualTo("what is a fever");
        assertThat(store.outcomeIndex("p-1")).hasValueSatisfying(i -> {
            assertThat(i.tenant()).isEqualTo("alpha");
            assertThat(i.expert()).isEqualTo("med-expert");
            assertThat(i.answered()).isTrue();
        });
    }
}
