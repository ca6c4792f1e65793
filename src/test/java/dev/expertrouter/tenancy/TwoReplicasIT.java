package dev.expertrouter.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.Json;
import dev.expertrouter.Sha256;
import dev.expertrouter.testing.Deadline;
import dev.expertrouter.testing.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway processes (the packaged jar) sharing one private redis-server: together they admit
 * no more than a tenant's limits, when Redis is stopped each tenant's fallback applies while both
 * keep serving, and a conversation keeps its expert whichever replica answers its next turn. Runs in Maven's integration-test phase (failsafe), after the jar is built.
 *
 * <p>The tests run in any order: each starts with Redis up, empty, and both replicas deciding
 * limits through it ({@link #redisUpAndShared()}, which brings Redis back after the test that
 * stops it), and each uses tenants of its own.
 */
class TwoReplicasIT {

    private static final String UNREACHABLE = "Redis is unreachable for tenant limits";
    private static final String ANSWERS_AGAIN = "Redis answers again";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RedisServer redis;
    private static final List<Process> gateways = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer().start();
        dir = Files.createTempDirectory("router-two-replicas");
        for (String file : new String[] {"experts.yaml", "policies.yaml", "tenants.yaml"}) {
            Files.copy(Path.of("src/test/resources/gateway-config", file), dir.resolve(file));
        }
        Files.writeString(dir.resolve("tenants.yaml"), String.join("\n", List.of(
                tenant("rpm", "rate-limit: {requests-per-minute: 30}"),
                tenant("tpm", "rate-limit: {tokens-per-minute: 600}"),
                tenant("daily", "budget: {usd-per-day: 0.0003}"),
                tenant("open", "rate-limit: {requests-per-minute: 10}"),
                tenant("closed", "rate-limit: {requests-per-minute: 10}\n    on-redis-down: fail-closed"),
                tenant("probe", "rate-limit: {requests-per-minute: 100000}"), "")),
                StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("policies.yaml"), """

                  - name: sticky
                    default-expert: test-generalist
                    affinity: {enabled: true}
                """, StandardOpenOption.APPEND);
        for (int i = 0; i < 2; i++) {
            int port = RedisServer.freePort();
            Path log = dir.resolve("gateway-" + i + ".log");
            gateways.add(new ProcessBuilder("java", "-Dquarkus.http.port=" + port, "-Drouter.config-dir=" + dir,
                    "-Dquarkus.redis.hosts=" + redis.url(), "-Drouter.models-dir=target/no-router-models",
                    "-Drouter.tenancy.expected-replicas=2", "-Drouter.tenancy.redis-timeout=3s",
                    "-Drouter.tenancy.redis-retry-interval=1s", "-Drouter.affinity.redis-timeout=3s",
                    "-Dquarkus.shutdown.delay-enabled=false",
                    "-jar", "target/quarkus-app/quarkus-run.jar")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start());
            ports.add(port);
        }
        for (int i = 0; i < 2; i++) {
            awaitHealthy(ports.get(i), gateways.get(i), dir.resolve("gateway-" + i + ".log"));
        }
    }

    private static String tenant(String name, String limits) {
        return "  - name: " + name + "\n    api-key-sha256: " + Sha256.hex("sk-it-" + name) + "\n    " + limits;
    }

    private static void awaitHealthy(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("gateway on " + port + " exited: " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("gateway on " + port + " not ready within 180 s");
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : gateways) {
            p.destroy();
        }
        for (Process p : gateways) {
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (redis != null) {
            redis.stop();
        }
    }

    /**
     * Redis running and empty, and each replica deciding limits through it: after Redis was stopped a
     * replica tries it again on a request once the retry interval (1 s here) has passed, so probe
     * requests are sent until its log says Redis answers again.
     */
    @BeforeEach
    void redisUpAndShared() {
        redis.start();
        assertThat(redis.command("FLUSHALL")).isEqualTo("+OK");
        for (int replica = 0; replica < 2; replica++) {
            int r = replica;
            Deadline.await("replica " + r + " decides tenant limits through Redis", () -> sharesThroughRedis(r));
        }
    }

    private static boolean sharesThroughRedis(int replica) {
        try {
            assertThat(chat(replica, "probe").statusCode()).isEqualTo(200);
            String log = Files.readString(log(replica));
            return log.lastIndexOf(ANSWERS_AGAIN) >= log.lastIndexOf(UNREACHABLE);
        } catch (Exception e) {
            throw new AssertionError("probe of replica " + replica + " failed", e);
        }
    }

    private static Path log(int replica) {
        return dir.resolve("gateway-" + replica + ".log");
    }

    private static HttpResponse<String> chat(int replica, String tenant) throws Exception {
        return chat(replica, tenant, "");
    }

    private static HttpResponse<String> chat(int replica, String tenant, String extra) throws Exception {
        String body = "{\"model\": \"test-med\", \"messages\": [{\"role\": \"user\", \"content\": \"Name a colour.\"}]" + extra + "}";
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(replica) + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer sk-it-" + tenant)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A turn of a conversation under the policy with affinity, as tenant probe. */
    private static HttpResponse<String> converse(int replica, String messages) throws Exception {
        String body = "{\"model\": \"sticky\", \"messages\": " + messages + "}";
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(replica) + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer sk-it-probe")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConversationAnsweredByOneReplicaKeepsItsExpertOnTheOther() throws Exception {
        String opening = "{\"role\": \"user\", \"content\": \"My knee hurts after running, what could it be?\"}";
        HttpResponse<String> first = converse(0, "[" + opening + "]");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-router-affinity")).hasValue("new");
        String expert = first.headers().firstValue("x-router-expert").orElseThrow();
        Deadline.await("replica 0 remembered the conversation in Redis",
                () -> redis.command("EVAL \"return #redis.call('keys','router:affinity:*')\" 0").equals(":1"));

        // replica 1 never saw the first turn: only the memory shared through Redis can keep the expert
        HttpResponse<String> second = converse(1, "[" + opening
                + ", {\"role\": \"assistant\", \"content\": \"Sure, here is my answer.\"}"
                + ", {\"role\": \"user\", \"content\": \"shorter please\"}]");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(second.headers().firstValue("x-router-affinity")).hasValue("kept");
        assertThat(second.headers().firstValue("x-router-expert")).hasValue(expert);
    }

    @Test
    void eightyRequestsOverBothReplicasGetThirtyAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                int replica = i % 2;
                statuses.add(pool.submit(() -> chat(replica, "rpm").statusCode()));
            }
            int ok = 0;
            int limited = 0;
            for (Future<Integer> s : statuses) {
                int status = s.get();
                ok += status == 200 ? 1 : 0;
                limited += status == 429 ? 1 : 0;
            }
            assertThat(ok).isBetween(29, 31);
            assertThat(ok + limited).isEqualTo(80);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theTokensLimitHoldsAcrossReplicas() throws Exception {
        long used = 0;
        long perAnswer = 0;
        int answered = 0;
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> r = chat(i % 2, "tpm");
            if (r.statusCode() == 200) {
                JsonNode usage = Json.MAPPER.readTree(r.body()).path("usage");
                perAnswer = usage.path("total_tokens").asLong();
                used += perAnswer;
                answered++;
            } else {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.body()).contains("tokens_limit_exceeded");
            }
        }
        assertThat(perAnswer).isPositive();
        // admission counts the input estimate, settlement the real usage: at most one answer past the limit
        assertThat(used).isLessThanOrEqualTo(600 + perAnswer);
        assertThat(answered).isGreaterThanOrEqualTo((int) (600 / perAnswer) - 1);
    }

    @Test
    void theDailyBudgetHoldsAcrossReplicas() throws Exception {
        double spent = 0;
        int answered = 0;
        double perAnswer = 0;
        for (int i = 0; i < 40; i++) {
            // max_tokens at test-med's answer length: the reserved estimate is close to the real cost
            HttpResponse<String> r = chat(i % 2, "daily", ", \"max_tokens\": 12");
            if (r.statusCode() == 200) {
                JsonNode usage = Json.MAPPER.readTree(r.body()).path("usage");
                perAnswer = (usage.path("prompt_tokens").asLong() + usage.path("completion_tokens").asLong()) / 1e6; // test-med: 1 USD/Mtok
                spent += perAnswer;
                answered++;
            } else {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.body()).contains("budget_exceeded");
                assertThat(r.headers().firstValue("retry-after")).isPresent();
            }
        }
        assertThat(answered).isPositive().isLessThan(40);
        assertThat(spent).isLessThanOrEqualTo(0.0003 + 1e-12);
        assertThat(spent).isGreaterThan(0.0003 - 2 * perAnswer);
    }

    @Test
    void withRedisStoppedEachReplicaFallsBackAsConfiguredAndKeepsServing() throws Exception {
        redis.stop();
        int open = 0;
        for (int i = 0; i < 20; i++) {
            open += chat(i % 2, "open").statusCode() == 200 ? 1 : 0;
        }
        // fail-open: each replica admits limit / 2 replicas = 5 locally
        assertThat(open).isEqualTo(10);
        HttpResponse<String> closed = chat(0, "closed");
        assertThat(closed.statusCode()).isEqualTo(503);
        assertThat(closed.body()).contains("limits_unavailable");
        for (int replica = 0; replica < 2; replica++) {
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(replica) + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(Files.readString(log(replica))).contains(UNREACHABLE);
        }
    }
}
