package dev.expertrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenant keys and limits in tenants.yaml: several keys, limits that are enforced, nothing silently ignored. */
class TenantLimitsLoadingTest {

    @TempDir
    Path dir;

    private RouterConfig load(String tenants) throws IOException {
        Files.writeString(dir.resolve("experts.yaml"), ConfigLoaderTest.EXPERTS);
        Files.writeString(dir.resolve("policies.yaml"), ConfigLoaderTest.POLICIES);
        Files.writeString(dir.resolve("tenants.yaml"), tenants);
        return new ConfigLoader(Map.of("NEXT_KEY", "next-secret")::get).load(dir);
    }

    @Test
    void aTenantMayHoldSeveralKeys() throws IOException {
        TenantConfig t = load("tenants:\n  - name: t\n    api-key-sha256: " + Sha256.hex("old")
                + "\n    api-keys:\n      - {sha256: " + Sha256.hex("older") + "}\n      - {env: NEXT_KEY}\n").tenants().get(0);
        assertThat(t.apiKeySha256s()).containsExactly(Sha256.hex("old"), Sha256.hex("older"), Sha256.hex("next-secret"));
    }

    @Test
    void limitsAreRead() throws IOException {
        TenantLimits l = load("tenants:\n  - name: t\n    api-key-sha256: " + Sha256.hex("k")
                + "\n    rate-limit: {requests-per-minute: 30}\n    budget: {usd-per-month: 12.5}\n    max-concurrent-requests: 3\n"
                + "    on-redis-down: fail-closed\n").tenants().get(0).limits();
        assertThat(l.rateLimit()).contains(new TenantLimits.RateLimit(30, 0));
        assertThat(l.budget()).contains(new TenantLimits.Budget(0, 12.5));
        assertThat(l.maxConcurrentRequests()).hasValue(3);
        assertThat(l.onRedisDown()).isEqualTo(TenantLimits.RedisDown.FAIL_CLOSED);
    }

    @Test
    void limitsThatWouldDoNothingAreRefused() {
        String head = "tenants:\n  - name: t\n    api-key-sha256: " + Sha256.hex("k") + "\n";
        assertThatThrownBy(() -> load(head + "    rate-limit: {}\n")).hasMessageContaining("tenants[0].rate-limit");
        assertThatThrownBy(() -> load(head + "    budget: {usd-per-day: 0}\n")).hasMessageContaining("tenants[0].budget");
        assertThatThrownBy(() -> load(head + "    on-redis-down: maybe\n")).hasMessageContaining("fail-open or fail-closed");
        assertThatThrownBy(() -> load(head + "    max-concurrent-requests: 0\n")).hasMessageContaining("max-concurrent-requests");
        assertThatThrownBy(() -> load("tenants:\n  - name: t\n")).hasMessageContaining("give the tenant a key");
        assertThatThrownBy(() -> load(head + "    api-keys:\n      - {sha256: " + Sha256.hex("k") + "}\n")).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> load(head + "    api-keys:\n      - {env: NOT_SET}\n")).hasMessageContaining("NOT_SET is not set");
    }
}
