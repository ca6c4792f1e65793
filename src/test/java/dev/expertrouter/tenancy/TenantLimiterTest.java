package dev.expertrouter.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.api.ApiException;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.config.TenantLimits;
import dev.expertrouter.MetricNames;
import dev.expertrouter.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TenantLimiterTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00.250Z");
    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    static TenantConfig tenant(long rpm, long tpm, double perDay, TenantLimits.RedisDown down, OptionalInt concurrent) {
        Optional<TenantLimits.RateLimit> rate = rpm > 0 || tpm > 0 ? Optional.of(new TenantLimits.RateLimit(rpm, tpm)) : Optional.empty();
        Optional<TenantLimits.Budget> budget = perDay > 0 ? Optional.of(new TenantLimits.Budget(perDay, 0)) : Optional.empty();
        return new TenantConfig("acme", List.of("0".repeat(64)), "p", List.of(), List.of(),
                new TenantLimits(rate, budget, concurrent, down));
    }

    /** A generous timeout: on a loaded machine a first call's class loading alone may take 50 ms. */
    private TenantLimiter limiter(LimitStore shared, int replicas) {
        return limiter(shared, replicas, Duration.ofSeconds(10));
    }

    private TenantLimiter limiter(LimitStore shared, int replicas, Duration timeout) {
        return new TenantLimiter(shared, clock, replicas, timeout, Duration.ofSeconds(1), new TenancyMetrics(registry));
    }

    private static ApiException refusal(Uni<?> uni) {
        try {
            uni.await().atMost(Duration.ofSeconds(5));
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void requestsPerMinuteAdmitsTheLimitThenRefusesUntilTheWindowSlides() {
        TenantLimiter limiter = limiter(new LocalLimitStore(), 1);
        TenantConfig t = tenant(30, 0, 0, TenantLimits.RedisDown.FAIL_OPEN, OptionalInt.empty());
        for (int i = 0; i < 30; i++) {
            Admission a = limiter.admit(t, 10).await().indefinitely();
            assertThat(a.headers()).containsEntry("x-ratelimit-limit-requests", "30")
                    .containsEntry("x-ratelimit-remaining-requests", Integer.toString(29 - i));
            if (i == 0) {
                assertThat(a.headers()).containsEntry("x-ratelimit-reset-requests", "59.75s");
            }
            clock.advance(Duration.ofMillis(100));
        }
        ApiException e = refusal(limiter.admit(t, 10));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.type()).isEqualTo("rate_limit_error");
        assertThat(e.code()).isEqualTo("rate_limit_exceeded");
        assertThat(e.headers()).containsEntry("x-ratelimit-remaining-requests", "0");
        // the oldest buckets (second 10:00:00) leave the window at 10:01:00: 57 s from 10:00:03.25
        assertThat(e.retryAfterSeconds()).contains(57);
        assertThat(registry.get(MetricNames.TENANT_REJECTIONS).tag("tenant", "acme").tag("kind", "requests").counter().count()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(57));
        assertThat(limiter.admit(t, 10).await().indefinitely()).isNotNull();
    }

    @Test
    void tokensAreCountedAtAdmissionAndCorrectedByTheRealUsage() {
        TenantLimiter limiter = limiter(new LocalLimitStore(), 1);
        TenantConfig t = tenant(0, 1000, 0, TenantLimits.RedisDown.FAIL_OPEN, OptionalInt.empty());
        Admission first = limiter.admit(t, 400).await().indefinitely();
        Admission second = limiter.admit(t, 400).await().indefinitely();
        assertThat(second.headers()).containsEntry("x-ratelimit-remaining-tokens", "200").doesNotContainKey("x-ratelimit-limit-requests");
        ApiException e = refusal(limiter.admit(t, 400));
        assertThat(e.code()).isEqualTo("tokens_limit_exceeded");
        // the answers used 100 tokens each, not 400: 600 are given back
        limiter.settle(first, 100, 0);
        limiter.settle(second, 100, 0);
        Admission third = limiter.admit(t, 400).await().indefinitely();
        assertThat(third.headers()).containsEntry("x-ratelimit-remaining-tokens", "400");
        // a longer answer than estimated counts its surplus
        limiter.settle(third, 900, 0);
        assertThat(refusal(limiter.admit(t, 1)).code()).isEqualTo("tokens_limit_exceeded");
        assertThat(refusal(limiter.admit(t, 5000)).getMessage()).contains("Request too large");
    }

    @Test
    void budgetRefusesAnEstimateThatWouldNotFitAndSettlesTheActualCost() {
        TenantLimiter limiter = limiter(new LocalLimitStore(), 1);
        TenantConfig t = tenant(0, 0, 1.0, TenantLimits.RedisDown.FAIL_OPEN, OptionalInt.empty());
        Admission a = limiter.admit(t, 10).await().indefinitely();
        assertThat(a.remainingBudgetUsd()).hasValue(1.0);
        limiter.reserve(a, 0.6).await().indefinitely();
        Admission b = limiter.admit(t, 10).await().indefinitely();
        assertThat(b.remainingBudgetUsd()).hasValue(0.4);
        ApiException e = refusal(limiter.reserve(b, 0.6));
        assertThat(e.code()).isEqualTo("budget_exceeded");
        assertThat(e.getMessage()).contains("daily").contains("2026-12-03T00:00:00Z");
        // 10:00:00.25 to midnight UTC
        assertThat(e.retryAfterSeconds()).contains(14 * 3600 - 1 + 1);
        limiter.settle(a, 10, 0.2);
        limiter.settle(b, 0, 0);
        Admission c = limiter.admit(t, 10).await().indefinitely();
        limiter.reserve(c, 0.6).await().indefinitely();
        limiter.settle(c, 10, 0.8);
        // spent 0.2 + 0.8 = the whole day: refused at admission already
        assertThat(refusal(limiter.admit(t, 10)).code()).isEqualTo("budget_exceeded");
        assertThat(registry.get(MetricNames.TENANT_SPEND_USD).tag("tenant", "acme").counter().count()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(limiter.usage(t).await().indefinitely().daySpentUsd()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        clock.advance(Duration.ofHours(14));
        assertThat(limiter.admit(t, 10).await().indefinitely().remainingBudgetUsd()).hasValue(1.0);
    }

    @Test
    void concurrencyCapRefusesTheRequestBeyondItUntilOneSettles() {
        TenantLimiter limiter = limiter(new LocalLimitStore(), 1);
        TenantConfig t = tenant(0, 0, 0, TenantLimits.RedisDown.FAIL_OPEN, OptionalInt.of(2));
        Admission a = limiter.admit(t, 1).await().indefinitely();
        limiter.admit(t, 1).await().indefinitely();
        assertThat(refusal(limiter.admit(t, 1)).code()).isEqualTo("concurrency_limit_exceeded");
        limiter.settle(a, 1, 0);
        limiter.settle(a, 1, 0); // settling twice frees one slot only
        limiter.admit(t, 1).await().indefinitely();
        assertThat(refusal(limiter.admit(t, 1)).code()).isEqualTo("concurrency_limit_exceeded");
    }

    @Test
    void withoutRedisFailOpenAdmitsALocalShareAndFailClosedRefuses() {
        AtomicBoolean down = new AtomicBoolean(true);
        TenantLimiter limiter = limiter(new SwitchableStore(down), 3);
        TenantConfig open = tenant(10, 0, 0, TenantLimits.RedisDown.FAIL_OPEN, OptionalInt.empty());
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            try {
                limiter.admit(open, 1).await().indefinitely();
                admitted++;
            } catch (ApiException e) {
                assertThat(e.code()).isEqualTo("rate_limit_exceeded");
            }
        }
        assertThat(admitted).isEqualTo(4); // ceil(10 / 3)
        assertThat(registry.get(MetricNames.TENANT_LIMITS_WITHOUT_REDIS).tag("mode", "fail_open").counter().count()).isEqualTo(10);
        TenantConfig closed = tenant(10, 0, 0, TenantLimits.RedisDown.FAIL_CLOSED, OptionalInt.of(1));
        ApiException e = refusal(limiter.admit(closed, 1));
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.code()).isEqualTo("limits_unavailable");
        // the refused request gave its concurrency slot back
        down.set(false);
        clock.advance(Duration.ofSeconds(2));
        assertThat(limiter.admit(closed, 1).await().indefinitely()).isNotNull();
    }

    @Test
    void withoutRedisEachOfTwoReplicasMaySpendHalfTheBudgetNotAQuarter() {
        AtomicBoolean down = new AtomicBoolean(true);
        TenantLimiter limiter = limiter(new SwitchableStore(down), 2);
        TenantConfig t = tenant(0, 0, 1.0, TenantLimits.RedisDown.FAIL_OPEN, OptionalInt.empty());
        Admission a = limiter.admit(t, 1).await().indefinitely();
        assertThat(a.remainingBudgetUsd()).hasValue(0.5);
        // $0.40 fits in this replica's half of $1.00 (it would not fit in a quarter)
        limiter.reserve(a, 0.4).await().indefinitely();
        limiter.settle(a, 1, 0.4);
        Admission b = limiter.admit(t, 1).await().indefinitely();
        assertThat(b.remainingBudgetUsd()).hasValue(0.1);
        limiter.reserve(b, 0.1).await().indefinitely();
        limiter.settle(b, 1, 0.1);
        assertThat(refusal(limiter.admit(t, 1)).code()).isEqualTo("budget_exceeded");
    }

    @Test
    void aReserveThatFallsBackAfterASharedAdmissionGetsHalfTheBudgetToo() {
        AtomicBoolean down = new AtomicBoolean(false);
        TenantLimiter limiter = limiter(new SwitchableStore(down), 2);
        TenantConfig t = tenant(0, 0, 1.0, TenantLimits.RedisDown.FAIL_OPEN, OptionalInt.empty());
        Admission a = limiter.admit(t, 1).await().indefinitely();
        assertThat(a.remainingBudgetUsd()).hasValue(1.0);
        down.set(true);
        ApiException e = refusal(limiter.reserve(a, 0.6));
        assertThat(e.code()).isEqualTo("budget_exceeded");
        limiter.reserve(a, 0.5).await().indefinitely();
    }

    @Test
    void aStoreSlowerThanTheTimeoutCountsAsAway() {
        TenantLimiter limiter = limiter(new NeverAnswers(), 1, Duration.ofMillis(50));
        TenantConfig t = tenant(10, 0, 0, TenantLimits.RedisDown.FAIL_OPEN, OptionalInt.empty());
        long start = System.nanoTime();
        limiter.admit(t, 1).await().atMost(Duration.ofSeconds(5));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void spendCountedWhileRedisWasAwayReachesItWhenItAnswersAgain() {
        AtomicBoolean down = new AtomicBoolean(true);
        SwitchableStore shared = new SwitchableStore(down);
        TenantLimiter limiter = limiter(shared, 1);
        TenantConfig t = tenant(0, 0, 5.0, TenantLimits.RedisDown.FAIL_OPEN, OptionalInt.empty());
        Admission a = limiter.admit(t, 1).await().indefinitely();
        limiter.reserve(a, 0.5).await().indefinitely();
        limiter.settle(a, 1, 0.3);
        down.set(false);
        clock.advance(Duration.ofSeconds(2));
        limiter.admit(t, 1).await().indefinitely();
        long[] spend = shared.delegate.spend(LimitKeys.of("acme", clock.instant())).await().indefinitely();
        assertThat(spend[0]).isEqualTo(300_000_000L);
    }

    @Test
    void durationsReadLikeOpenAis() {
        assertThat(RateLimitHeaders.duration(0)).isEqualTo("0s");
        assertThat(RateLimitHeaders.duration(17)).isEqualTo("17ms");
        assertThat(RateLimitHeaders.duration(1000)).isEqualTo("1s");
        assertThat(RateLimitHeaders.duration(1500)).isEqualTo("1.5s");
        assertThat(RateLimitHeaders.duration(360_000)).isEqualTo("6m0s");
        assertThat(RateLimitHeaders.duration(3_723_000)).isEqualTo("1h2m3s");
        assertThat(RateLimitHeaders.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(RateLimitHeaders.retryAfterSeconds(1001)).isEqualTo(2);
    }

    /** A store that fails while {@code down} is set, else counts locally. */
    static final class SwitchableStore implements LimitStore {
        final LocalLimitStore delegate = new LocalLimitStore();
        private final AtomicBoolean down;

        SwitchableStore(AtomicBoolean down) {
            this.down = down;
        }

        private <T> Uni<T> gate(Uni<T> call) {
            return down.get() ? Uni.createFrom().failure(new java.io.IOException("connection refused")) : call;
        }

        @Override
        public Uni<Counts> admit(LimitKeys keys, Limits limits, long nowMs, long tokens) {
            return gate(delegate.admit(keys, limits, nowMs, tokens));
        }

        @Override
        public Uni<long[]> reserve(LimitKeys keys, Limits limits, long costNanos) {
            return gate(delegate.reserve(keys, limits, costNanos));
        }

        @Override
        public Uni<Void> settle(LimitKeys keys, long nowMs, long admittedSecond, long tokenDelta, long costDeltaNanos) {
            return gate(delegate.settle(keys, nowMs, admittedSecond, tokenDelta, costDeltaNanos));
        }

        @Override
        public Uni<long[]> spend(LimitKeys keys) {
            return gate(delegate.spend(keys));
        }
    }

    /** A store that never answers. */
    static final class NeverAnswers implements LimitStore {
        @Override
        public Uni<Counts> admit(LimitKeys keys, Limits limits, long nowMs, long tokens) {
            return Uni.createFrom().nothing();
        }

        @Override
        public Uni<long[]> reserve(LimitKeys keys, Limits limits, long costNanos) {
            return Uni.createFrom().nothing();
        }

        @Override
        public Uni<Void> settle(LimitKeys keys, long nowMs, long admittedSecond, long tokenDelta, long costDeltaNanos) {
            return Uni.createFrom().nothing();
        }

        @Override
        public Uni<long[]> spend(LimitKeys keys) {
            return Uni.createFrom().nothing();
        }
    }
}
