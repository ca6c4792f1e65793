package dev.expertrouter.tenancy;

import dev.expertrouter.Sha256;
import dev.expertrouter.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The gateway with limited tenants and a private redis-server: the test catalogue plus an expert
 * whose streams are always cut, and tenants with a request limit, a budget, a concurrency cap and
 * two keys.
 */
public class TenancyTestProfile implements QuarkusTestProfile {

    public static final String LIMITED_KEY = "sk-test-limited";
    public static final String BUDGET_KEY = "sk-test-budget";
    public static final String OLD_KEY = "sk-test-rotating-old";
    public static final String NEW_KEY = "sk-test-rotating-new";
    public static final String ADMIN_KEY = "sk-test-admin-tenancy";

    private static Path configDir;

    static synchronized Path configDir() {
        if (configDir == null) {
            try {
                Path dir = Files.createTempDirectory("router-tenancy-config");
                for (String file : new String[] {"experts.yaml", "policies.yaml", "tenants.yaml"}) {
                    Files.copy(Path.of("src/test/resources/gateway-config", file), dir.resolve(file));
                }
                Files.writeString(dir.resolve("experts.yaml"), """
                          - id: test-dropper
                            model: dropper
                            price: {input-per-mtok: 1.0, output-per-mtok: 2.0}
                            quality: {general: 0.05}
                            latency-ms: 100
                            simulated: {latency-ms: 1, output-tokens: 40, tokens-per-second: 1000, drop-rate: 1.0, drop-after-chunks: 2}
                        """, StandardOpenOption.APPEND);
                Files.writeString(dir.resolve("tenants.yaml"), String.join("\n", List.of(
                        "  - name: limited",
                        "    api-key-sha256: " + Sha256.hex(LIMITED_KEY),
                        "    rate-limit: {requests-per-minute: 5, tokens-per-minute: 1000000}",
                        "  - name: budgeted",
                        "    api-key-sha256: " + Sha256.hex(BUDGET_KEY),
                        "    budget: {usd-per-day: 1000.0}",
                        "  - name: rotating",
                        "    api-keys:",
                        "      - {sha256: " + Sha256.hex(OLD_KEY) + "}",
                        "      - {env: ROTATING_NEW_KEY}",
                        "    max-concurrent-requests: 4",
                        "")), StandardOpenOption.APPEND);
                configDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return configDir;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "router.config-dir", configDir().toString(),
                "router.reload-interval", "200ms",
                "router.request-deadline", "10s",
                "router.models-dir", "target/no-router-models",
                "router.admin-key", ADMIN_KEY,
                // generous: this machine is shared by many builds, and a slow first call must not flip to local limits
                "router.tenancy.redis-timeout", "5s",
                "ROTATING_NEW_KEY", NEW_KEY,
                "UPSTREAM_TEST_KEY", "sk-upstream-secret");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestResource.class));
    }
}
