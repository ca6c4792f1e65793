package dev.expertrouter;

import dev.expertrouter.testing.OutcomeSpoolDirs;
import dev.expertrouter.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The one Quarkus profile of the gateway tests: a private copy of {@code gateway-config/} (so hot
 * reload tests may edit it) and a fast reload interval. Tests share it to boot Quarkus once.
 */
public class GatewayTestProfile implements QuarkusTestProfile {

    public static final String ALPHA_KEY = "sk-test-alpha";
    public static final String BETA_KEY = "sk-test-beta";

    private static Path configDir;

    /** A request as tenant alpha, with a JSON content type. */
    public static io.restassured.specification.RequestSpecification alpha() {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + ALPHA_KEY)
                .contentType(io.restassured.http.ContentType.JSON);
    }

    public static synchronized Path configDir() {
        if (configDir == null) {
            try {
                Path dir = Files.createTempDirectory("router-test-config");
                for (String file : new String[] {"experts.yaml", "policies.yaml", "tenants.yaml"}) {
                    Files.copy(Path.of("src/test/resources/gateway-config", file), dir.resolve(file));
                }
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
                "router.max-body-bytes", "262144",
                "router.request-deadline", "10s",
                // no router model: these tests pin the contract "before any router model serves"
                "router.models-dir", "target/no-router-models",
                // read like env vars by the experts that name them (api-key-env, headers-env)
                "UPSTREAM_TEST_KEY", "sk-upstream-secret",
                "UPSTREAM_TEST_ORG", "org-42",
                "router.outcomes.spool-dir", OutcomeSpoolDirs.fresh());
    }

    /** A private redis-server for the outcome log and feedback (never the machine's shared one). */
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestResource.class));
    }
}
