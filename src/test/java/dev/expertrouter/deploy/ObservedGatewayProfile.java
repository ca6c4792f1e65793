package dev.expertrouter.deploy;

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
 * The shipped demo (config/ and the shipped router model) plus two experts that always fail: one
 * ranked first, so fallbacks, retries and an open circuit show up on the dashboard, and one only
 * ever named, whose circuit a test opens deterministically (a guard refusing a retry); two tenants
 * whose limits refuse requests (one request a minute; a budget no request fits in); an admin key
 * for the scorecard.
 * Shared by the dashboard, metric-name and scorecard tests, so Quarkus boots once for them; they
 * run in a JVM of their own ({@link #TAG}, see pom.xml), since a router model loaded by another
 * profile's Quarkus start leaves its native tokenizer bound to that start's class loader.
 */
public class ObservedGatewayProfile implements QuarkusTestProfile {

    /** The surefire group these tests run in, a JVM of their own. */
    public static final String TAG = "observed-gateway";

    public static final String ADMIN_KEY = "sk-admin-observed";
    public static final String FLAKY = "flaky-expert";
    public static final String BREAKER = "breaker-expert";
    /** Key of the tenant {@code throttled}: one request a minute. */
    public static final String THROTTLED_KEY = "sk-observed-throttled";
    /** Key of the tenant {@code broke}: a daily budget of one nano-dollar, below any request's estimate. */
    public static final String BROKE_KEY = "sk-observed-broke";

    /** Cheap and rated best everywhere, so the policies rank it first and fall back from it. */
    static final String FLAKY_EXPERT = """

              - id: flaky-expert   # added by ObservedGatewayProfile: always 503
                price: {input-per-mtok: 0.01, output-per-mtok: 0.01}
                quality: {code: 0.99, finance: 0.99, general: 0.99, humanities: 0.99, legal: 0.99, math: 0.99, medical: 0.99, science: 0.99}
                latency-ms: 50
                simulated: {latency-ms: 2, error-rate: 1.0, error-status: 503, retry-after-seconds: 0}
                fault-tolerance:
                  retries: 1
                  backoff-ms: 5
                  jitter-ms: 0
                  circuit-breaker: {request-volume: 6, failure-ratio: 0.5, delay-ms: 60000, success-threshold: 1}

              - id: breaker-expert   # added by ObservedGatewayProfile: always 503, ranked last, only ever named
                price: {input-per-mtok: 100.0, output-per-mtok: 100.0}
                quality: {general: 0.01}
                latency-ms: 5000
                simulated: {latency-ms: 2, error-rate: 1.0, error-status: 503, retry-after-seconds: 0}
                fault-tolerance:
                  retries: 1
                  backoff-ms: 5
                  jitter-ms: 0
                  circuit-breaker: {request-volume: 5, failure-ratio: 0.5, delay-ms: 60000, success-threshold: 1}
            """;

    private static Path configDir;

    static synchronized Path configDir() {
        if (configDir == null) {
            try {
                Path dir = Files.createTempDirectory("router-observed-config");
                for (String file : new String[] {"policies.yaml", "tenants.yaml"}) {
                    Files.copy(Path.of("config", file), dir.resolve(file));
                }
                Files.writeString(dir.resolve("tenants.yaml"), String.join("\n", List.of("",
                        "  - name: throttled   # added by ObservedGatewayProfile",
                        "    api-key-sha256: " + Sha256.hex(THROTTLED_KEY),
                        "    rate-limit: {requests-per-minute: 1}",
                        "  - name: broke   # added by ObservedGatewayProfile",
                        "    api-key-sha256: " + Sha256.hex(BROKE_KEY),
                        "    budget: {usd-per-day: 0.000000001}",
                        "")), StandardOpenOption.APPEND);
                Files.writeString(dir.resolve("experts.yaml"), Files.readString(Path.of("config/experts.yaml")).stripTrailing()
                        + "\n" + FLAKY_EXPERT);
                configDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return configDir;
    }

    /** A private redis-server: outcomes and feedback (whose panels this gateway must feed) live in Redis. */
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestResource.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("router.config-dir", configDir().toString(), "router.reload-interval", "0s",
                "router.models-dir", "router-models", "router.admin-key", ADMIN_KEY);
    }
}
