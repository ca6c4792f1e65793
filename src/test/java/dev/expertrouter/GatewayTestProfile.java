package dev.expertrouter;

import dev.expertrouter.testing.ConfigCopy;
import dev.expertrouter.testing.OutcomeSpoolDirs;
import dev.expertrouter.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Quarkus profile most gateway tests share, to boot Quarkus once: a private copy of
 * {@code gateway-config/} and a fast reload interval. Only {@code RealUpstreamTest} edits that copy
 * (and waits for its restore to be in force); a test class that needs other edits extends this
 * profile with a copy of its own ({@link #ownConfigDir()}), at the price of one more boot.
 */
public class GatewayTestProfile implements QuarkusTestProfile {

    public static final String ALPHA_KEY = "sk-test-alpha";
    public static final String BETA_KEY = "sk-test-beta";

    private static final Path CONFIG_DIR = ConfigCopy.of("gateway-config");

    /** A request as tenant alpha, with a JSON content type. */
    public static io.restassured.specification.RequestSpecification alpha() {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + ALPHA_KEY)
                .contentType(io.restassured.http.ContentType.JSON);
    }

    /** The config directory of this shared profile. */
    public static Path configDir() {
        return CONFIG_DIR;
    }

    /** The config directory the gateway of this profile reads. */
    protected Path ownConfigDir() {
        return CONFIG_DIR;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "router.config-dir", ownConfigDir().toString(),
                "router.reload-interval", "200ms",
                "router.max-body-bytes", "262144",
                "router.request-deadline", "10s",
                // no router model: these tests pin the contract "before any router model serves"
                "router.models-dir", "target/no-router-models",
                // read like env vars by the experts that name them (api-key-env, headers-env)
                "UPSTREAM_TEST_KEY", "sk-upstream-secret",
                "UPSTREAM_TEST_ORG", "org-42",
                "router.outcomes.spool-dir", OutcomeSpoolDirs.fresh(),
                // a slow answer of the private Redis on a busy machine must not move the tenant limits
                // to the local fallback in the middle of a test that counts them (the default is 50 ms)
                "router.tenancy.redis-timeout", "5s");
    }

    /** A private redis-server for the outcome log and feedback (never the machine's shared one). */
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestResource.class));
    }
}
