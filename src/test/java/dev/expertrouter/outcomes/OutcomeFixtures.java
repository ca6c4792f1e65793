package dev.expertrouter.outcomes;

import dev.expertrouter.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Outcomes, a Redis client and polling for the plain JUnit tests of the outcome log. */
final class OutcomeFixtures {

    static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");

    private OutcomeFixtures() {
    }

    static OutcomeRecord outcome(String id, String tenant) {
        return outcome(id, tenant, "med-expert", "medical", 200, null);
    }

    static OutcomeRecord outcome(String id, String tenant, String expert, String domain, int status, String promptText) {
        float[] embedding = new float[384];
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = (float) Math.sin(i + id.hashCode());
        }
        return new OutcomeRecord(id, T0, tenant, "balanced", "v4", domain, 0.91, domain == null ? Map.of() : Map.of(domain, 0.91, "general", 0.09),
                false, expert, List.of(expert, "big-generalist"), List.of(new OutcomeRecord.Fallback("small-generalist", "timeout")),
                status, status >= 400 ? "expert_unavailable" : null, status, false, 420, 31, 180, 0.00019, 0.004,
                "ab".repeat(32), embedding, "all-minilm-l6-v2-q", 380, promptText, false, null, false);
    }

    static Redis client(Vertx vertx, RedisServer server) {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()).setMaxPoolWaiting(10_000));
    }

    static OutcomeStore store(Redis redis) {
        return new OutcomeStore(redis, Duration.ofSeconds(10));
    }

    /** Polls until the condition holds; fails after the deadline. */
    static void await(String what, Duration deadline, BooleanSupplier condition) {
        long until = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
