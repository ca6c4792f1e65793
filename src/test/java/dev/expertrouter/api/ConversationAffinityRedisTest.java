package dev.expertrouter.api;

import static dev.expertrouter.RoutedTestProfile.demo;
import static dev.expertrouter.api.ConversationAffinityRoutesTest.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import dev.expertrouter.routing.affinity.ConversationId;
import dev.expertrouter.routing.affinity.LocalAffinityStore;
import dev.expertrouter.routing.affinity.RedisAffinityStore;
import dev.expertrouter.routing.affinity.RememberedChoice;
import dev.expertrouter.testing.RedisServer;
import dev.expertrouter.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway with a private Redis: conversations are shared through it with other replicas (a
 * second replica's store is played by this test, on the same server), and the gateway keeps
 * answering, from its own memory, while Redis is down. The shipped config without a router model:
 * the embedder's native tokenizer loads into one class loader per JVM, so only one Quarkus profile
 * of the test run may serve the real model (RoutedTestProfile's); here every prompt is
 * {@code unknown}, which affinity treats as "no topic change".
 */
@QuarkusTest
@TestProfile(ConversationAffinityRedisTest.WithRedis.class)
class ConversationAffinityRedisTest {

    /** The shipped demo, no router model, a private redis-server. */
    public static class WithRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a generous lookup bound: these tests are about sharing, and a loaded 2-core host may take
            // longer than 50 ms for a first GET (the bound itself is tested in RedisAffinityStoreTest)
            return Map.of("router.config-dir", "config", "router.reload-interval", "0s",
                    "router.models-dir", "target/no-router-models", "router.affinity.redis-timeout", "2s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisTestResource.class));
        }
    }

    static Vertx vertx;
    static RedisAffinityStore otherReplica;

    @BeforeAll
    static void replica() {
        vertx = Vertx.vertx();
        otherReplica = new RedisAffinityStore(Redis.createClient(vertx, RedisTestResource.server().url()),
                new LocalAffinityStore(100, System::nanoTime), Duration.ofSeconds(2), System::nanoTime, op -> { });
    }

    @AfterAll
    static void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void redisUp() {
        RedisTestResource.server().start();
    }

    static String key(String opening) {
        return ConversationId.of("demo", new ChatPrompt(List.of(new Turn("user", opening))), Optional.empty()).key();
    }

    static Optional<RememberedChoice> seenByOtherReplica(String key) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Optional<RememberedChoice> found = otherReplica.find(key).toCompletableFuture().join();
            if (found.isPresent()) {
                return found;
            }
            Thread.onSpinWait();
        }
        return Optional.empty();
    }

    @Test
    void anAnsweredTurnIsSharedThroughRedisUnderAHashedKeyWithTheTtl() {
        String opening = "what is the difference between a will and a trust?";
        Response first = demo().body(chat("auto", opening)).post("/v1/chat/completions");
        first.then().statusCode(200);

        Optional<RememberedChoice> shared = seenByOtherReplica(key(opening));
        assertThat(shared).as("the other replica sees the conversation").isPresent();
        assertThat(shared.get().expert()).isEqualTo(first.header("x-router-expert"));
        assertThat(shared.get().domain()).isEqualTo("unknown");
        assertThat(shared.get().turns()).isEqualTo(1);
        long pttl = Long.parseLong(RedisTestResource.server().command("PTTL " + RedisAffinityStore.PREFIX + key(opening)).substring(1));
        assertThat(pttl).isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());
    }

    @Test
    void aConversationAnsweredByAnotherReplicaStaysWithItsExpert() {
        String opening = "how do I read a JSON file in Python and loop over the keys?";
        // another replica answered the first turn with the mid generalist (the policy would pick its default, big-generalist)
        otherReplica.remember(key(opening), new RememberedChoice("mid-generalist", "code", "v4", 1), Duration.ofMinutes(30));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!RedisTestResource.server().command("EXISTS " + RedisAffinityStore.PREFIX + key(opening)).equals(":1")) {
            if (System.nanoTime() > deadline) {
                fail("the other replica's write did not reach Redis");
            }
            Thread.onSpinWait();
        }

        Response next = demo().body(chat("auto", opening, "can you give me an example?")).post("/v1/chat/completions");

        next.then().statusCode(200).header("x-router-affinity", "kept").header("x-router-expert", "mid-generalist");
        assertThat(seenByOtherReplica(key(opening)).orElseThrow().turns()).isBetween(1, 2);
    }

    @Test
    void withoutRedisTheGatewayStillAnswersAndRemembersLocally() {
        RedisServer redis = RedisTestResource.server();
        redis.stop();
        try {
            String opening = "explain how the greenhouse effect works";
            Response first = demo().body(chat("auto", opening)).post("/v1/chat/completions");
            first.then().statusCode(200).header("x-router-affinity", "new");

            Response second = demo().body(chat("auto", opening, "shorter please")).post("/v1/chat/completions");
            second.then().statusCode(200).header("x-router-affinity", "kept")
                    .header("x-router-expert", first.header("x-router-expert"));
            demo().body(chat("auto", opening, "shorter please")).post("/v1/route").then().statusCode(200);
        } finally {
            redis.start();
        }
    }
}
