package dev.expertrouter.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.api.ApiException;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.config.TenantLimits;
import dev.expertrouter.testing.MutableClock;
import dev.expertrouter.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Lua scripts against a real (private) redis-server, with two limiters standing for two replicas. */
class RedisLimitStoreTest {

    private static RedisServer server;
    private static Vertx vertx;
    private static Redis client;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T23:59:30Z"));

    @BeforeAll
    static void start() {
        server = new RedisServer().start();
        vertx = Vertx.vertx();
        // the pool as application.properties sizes it: bursts wait for a connection instead of failing
        client = Redis.createClient(vertx, new io.vertx.redis.client.RedisOptions().setConnectionString(server.url())
                .setMaxPoolSize(16).setMaxPoolWaiting(1024));
    }

    @AfterAll
    static void stop() {
        client.close();
        vertx.closeAndAwait();
        server.stop();
    }

    private static RedisLimitStore store() {
        return new RedisLimitStore((command, args) -> {
            Request r = Request.cmd(Command.create(command));
            for (String a : args) {
                r.arg(a);
            }
            return client.send(r);
        });
    }

    private TenantLimiter replica() {
        return new TenantLimiter(store(), clock, 2, Duration.ofSeconds(10), Duration.ofSeconds(1), new TenancyMetrics(new SimpleMeterRegistry()));
    }

    private static TenantConfig tenant(String name, long rpm, long tpm, double perDay) {
        return new TenantConfig(name, List.of("0".repeat(64)), "p", List.of(), List.of(), new TenantLimits(
                rpm > 0 || tpm > 0 ? java.util.Optional.of(new TenantLimits.RateLimit(rpm, tpm)) : java.util.Optional.empty(),
                perDay > 0 ? java.util.Optional.of(new TenantLimits.Budget(perDay, 0)) : java.util.Optional.empty(),
                OptionalInt.empty(), TenantLimits.RedisDown.FAIL_OPEN));
    }

    /** Requests from both replicas at once; counts the admitted ones. */
    private static int admitAll(List<TenantLimiter> replicas, TenantConfig t, int requests, long tokens) {
        List<Uni<Boolean>> all = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            all.add(replicas.get(i % replicas.size()).admit(t, tokens).map(a -> true)
                    .onFailure(ApiException.class).recoverWithItem(false));
        }
        AtomicInteger admitted = new AtomicInteger();
        Uni.join().all(all).andFailFast().await().atMost(Duration.ofSeconds(20)).forEach(ok -> {
            if (ok) {
                admitted.incrementAndGet();
            }
        });
        return admitted.get();
    }

    @Test
    void twoReplicasTogetherAdmitTheRequestLimitExactly() {
        TenantConfig t = tenant("rl-requests", 30, 0, 0);
        List<TenantLimiter> replicas = List.of(replica(), replica());
        assertThat(admitAll(replicas, t, 80, 1)).isEqualTo(30);
        clock.advance(Duration.ofSeconds(61));
        assertThat(admitAll(replicas, t, 40, 1)).isEqualTo(30);
    }

    @Test
    void twoReplicasTogetherHoldTheTokenLimitAndTheRefundIsShared() {
        TenantConfig t = tenant("rl-tokens", 0, 1000, 0);
        TenantLimiter a = replica();
        TenantLimiter b = replica();
        assertThat(admitAll(List.of(a, b), t, 20, 100)).isEqualTo(10);
        // what one replica gives back, the other can use
        Admission small = tenantAdmissionAfterRefund(a, b, t);
        assertThat(small.headers()).containsEntry("x-ratelimit-limit-tokens", "1000");
    }

    private Admission tenantAdmissionAfterRefund(TenantLimiter a, TenantLimiter b, TenantConfig t) {
        clock.advance(Duration.ofSeconds(61));
        Admission big = a.admit(t, 900).await().indefinitely();
        assertThat(admitAll(List.of(b), t, 1, 200)).isZero();
        a.settle(big, 100, 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return b.admit(t, 200).await().indefinitely();
            } catch (ApiException e) {
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("the refund never reached the other replica");
    }

    @Test
    void budgetIsReservedAtomicallyAcrossReplicasAndResetsAtMidnightUtc() {
        TenantConfig t = tenant("rl-budget", 0, 0, 1.0);
        TenantLimiter a = replica();
        TenantLimiter b = replica();
        List<Uni<Boolean>> reservations = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TenantLimiter r = i % 2 == 0 ? a : b;
            reservations.add(r.admit(t, 1).chain(adm -> r.reserve(adm, 0.3)).map(v -> true)
                    .onFailure(ApiException.class).recoverWithItem(false));
        }
        long ok = Uni.join().all(reservations).andFailFast().await().atMost(Duration.ofSeconds(20)).stream().filter(x -> x).count();
        assertThat(ok).isEqualTo(3); // 3 x 0.3 fits in 1.0, a fourth does not
        assertThat(a.usage(t).await().indefinitely().daySpentUsd()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        clock.advance(Duration.ofSeconds(31)); // 00:00:01 UTC: a new day
        Admission fresh = b.admit(t, 1).await().indefinitely();
        assertThat(fresh.remainingBudgetUsd()).hasValue(1.0);
    }

    @Test
    void scriptsAreSentAgainWhenRedisForgotThem() {
        TenantConfig t = tenant("rl-noscript", 5, 0, 0);
        TenantLimiter a = replica();
        a.admit(t, 1).await().indefinitely();
        assertThat(server.command("SCRIPT FLUSH")).isEqualTo("+OK");
        Admission again = a.admit(t, 1).await().indefinitely();
        assertThat(again.headers()).containsEntry("x-ratelimit-remaining-requests", "3");
        assertThat(server.command("EXISTS router:rl:rl-noscript:req")).isEqualTo(":1");
    }
}
