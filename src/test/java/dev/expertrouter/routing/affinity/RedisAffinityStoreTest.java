package dev.expertrouter.routing.affinity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.expertrouter.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two replicas' stores on one private redis-server; and what each does when Redis is gone or hangs. */
class RedisAffinityStoreTest {

    static final RememberedChoice MED = new RememberedChoice("med-expert", "medical", "v4", 1);
    static final Duration TTL = Duration.ofMinutes(30);

    static RedisServer server;
    static Vertx vertx;

    final AtomicLong now = new AtomicLong();
    final List<String> fallbacks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = new RedisServer().start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        server.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    RedisAffinityStore replica(String url, Duration timeout) {
        return new RedisAffinityStore(Redis.createClient(vertx, url), new LocalAffinityStore(100, now::get), timeout,
                now::get, fallbacks::add);
    }

    static Optional<RememberedChoice> find(AffinityStore store, String key) {
        return store.find(key).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Polls until the condition holds; fails at the deadline (the write to Redis is asynchronous). */
    static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("not within 5 s: " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void twoReplicasSeeTheSameConversation() {
        RedisAffinityStore one = replica(server.url(), Duration.ofSeconds(1));
        RedisAffinityStore two = replica(server.url(), Duration.ofSeconds(1));
        String key = "a".repeat(64);

        one.remember(key, MED, TTL);

        await("replica two sees replica one's choice", () -> find(two, key).equals(Optional.of(MED)));
        long pttl = Long.parseLong(server.command("PTTL " + RedisAffinityStore.PREFIX + key).substring(1));
        assertThat(pttl).isBetween(TTL.toMillis() - 60_000, TTL.toMillis());
        RememberedChoice moved = new RememberedChoice("gen", "medical", "v4", 2);
        two.remember(key, moved, TTL);
        await("replica one sees replica two's update", () -> find(one, key).equals(Optional.of(moved)));
        assertThat(fallbacks).isEmpty();
    }

    @Test
    void theStoredValueHoldsNoPromptText() {
        RedisAffinityStore one = replica(server.url(), Duration.ofSeconds(1));
        String key = ConversationId.of("demo", new dev.expertrouter.routing.ChatPrompt(List.of(
                new dev.expertrouter.routing.ChatPrompt.Turn("user", "my secret diagnosis"))), Optional.empty()).key();
        one.remember(key, MED, TTL);

        Redis reader = Redis.createClient(vertx, server.url());
        await("the value is written", () -> raw(reader, RedisAffinityStore.PREFIX + key) != null);
        String value = raw(reader, RedisAffinityStore.PREFIX + key);
        assertThat(value).doesNotContain("secret").doesNotContain("demo")
                .isEqualTo("{\"expert\":\"med-expert\",\"domain\":\"medical\",\"router_version\":\"v4\",\"turns\":1}");
        reader.close();
    }

    @Test
    void withoutRedisAReplicaAnswersFromItsOwnMemoryAndComesBackToRedisLater() {
        try (RedisServer own = new RedisServer()) {
            own.start();
            RedisAffinityStore one = replica(own.url(), Duration.ofSeconds(1));
            RedisAffinityStore two = replica(own.url(), Duration.ofSeconds(1));
            String key = "b".repeat(64);
            own.stop();

            one.remember(key, MED, TTL);
            assertThat(find(one, key)).hasValue(MED); // its own memory
            assertThat(find(two, key)).isEmpty(); // the other replica cannot know, but answers
            assertThat(fallbacks).contains("find");

            // while Redis is skipped, lookups do not even try it
            int before = fallbacks.size();
            assertThat(find(two, key)).isEmpty();
            assertThat(fallbacks).hasSize(before + 1);

            own.start();
            now.addAndGet(RedisAffinityStore.RETRY_AFTER.toNanos());
            one.remember(key, MED, TTL);
            await("replica two sees the choice once Redis is back", () -> find(two, key).equals(Optional.of(MED)));
        }
    }

    @Test
    void aHangingRedisCostsAtMostTheTimeout() throws IOException {
        // accepts connections and never answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            RedisAffinityStore store = replica("redis://127.0.0.1:" + silent.getLocalPort(), Duration.ofMillis(50));
            String key = "c".repeat(64);
            store.remember(key, MED, TTL);

            long start = System.nanoTime();
            Optional<RememberedChoice> found = find(store, key);
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(found).hasValue(MED);
            assertThat(tookMs).isLessThan(2_000); // the 50 ms bound plus scheduling on a busy machine
            assertThat(fallbacks).contains("find");
        }
    }

    private static String raw(Redis redis, String key) {
        var response = redis.send(Request.cmd(Command.GET).arg(key)).toCompletionStage().toCompletableFuture()
                .orTimeout(5, TimeUnit.SECONDS).join();
        return response == null ? null : response.toString();
    }
}
