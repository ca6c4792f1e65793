package dev.expertrouter;

import dev.expertrouter.testing.OutcomeSpoolDirs;
import dev.expertrouter.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The shipped demo: config/ and the shipped router model in router-models/, with a private Redis. */
public class RoutedTestProfile implements QuarkusTestProfile {

    public static final String DEMO_KEY = "sk-router-demo";

    public static io.restassured.specification.RequestSpecification demo() {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + DEMO_KEY)
                .contentType(io.restassured.http.ContentType.JSON);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("router.config-dir", "config", "router.reload-interval", "0s", "router.models-dir", "router-models",
                "router.outcomes.spool-dir", OutcomeSpoolDirs.fresh());
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestResource.class));
    }
}
