package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.Sha256;
import dev.expertrouter.testing.ConfigCopy;
import dev.expertrouter.testing.Deadline;
import dev.expertrouter.testing.Prometheus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edits of the config directory take effect without a restart (experts, tenants with their keys and
 * limits); a bad edit is refused and counted.
 */
@QuarkusTest
@TestProfile(HotReloadTest.Profile.class)
class HotReloadTest {

    /** The gateway profile over a config copy that only this class edits. */
    public static class Profile extends GatewayTestProfile {
        static final Path CONFIG_DIR = ConfigCopy.of("gateway-config");

        @Override
        protected Path ownConfigDir() {
            return CONFIG_DIR;
        }
    }

    private static final String FAILED = "router_config_reloads_total{outcome=\"failure\"}";
    private static final String SUCCEEDED = "router_config_reloads_total{outcome=\"success\"}";
    private static final String NEW_EXPERT = """
              - id: hot-added
                model: hot-model
                quality: {general: 0.3}
                simulated: {latency-ms: 1, output-tokens: 3}
            """;

    @Test
    void anAddedExpertIsServedWithoutRestartAndABadEditIsCountedWhileTheOldConfigStays() throws Exception {
        Path experts = Profile.CONFIG_DIR.resolve("experts.yaml");
        String original = Files.readString(experts);
        try {
            double reloads = Prometheus.value(SUCCEEDED);
            ConfigCopy.replace(experts, original + NEW_EXPERT);
            Deadline.await("the added expert listed in /v1/models", () -> models().contains("hot-added"));
            assertThat(Prometheus.value(SUCCEEDED)).isEqualTo(reloads + 1);
            alpha().body("{\"model\":\"hot-added\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .post("/v1/chat/completions").then().statusCode(200).header("x-router-expert", "hot-added");

            double failures = Prometheus.value(FAILED);
            double successes = Prometheus.value(SUCCEEDED);
            ConfigCopy.replace(experts, original + "  - id: [broken\n");
            // the failure counter proves the broken file was read and refused, not merely not yet seen
            Deadline.await("the broken edit counted as a failed reload", () -> Prometheus.value(FAILED) > failures);
            assertThat(Prometheus.value(FAILED)).isEqualTo(failures + 1);
            assertThat(Prometheus.value(SUCCEEDED)).isEqualTo(successes);
            assertThat(models()).contains("hot-added");
            alpha().body("{\"model\":\"hot-added\",\"messages\":[{\"role\":\"user\",\"content\":\"still here\"}]}")
                    .post("/v1/chat/completions").then().statusCode(200).header("x-router-expert", "hot-added");
        } finally {
            ConfigCopy.replace(experts, original);
            Deadline.await("the original config back in force", () -> !models().contains("hot-added"));
        }
    }

    private static final String HOT_KEY = "sk-test-hot-first";
    private static final String NEXT_KEY = "sk-test-hot-next";

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private static int modelsStatus(String key) {
        return as(key).get("/v1/models").then().extract().statusCode();
    }

    private static String hotTenant(String key, int requestsPerMinute) {
        return String.join("\n",
                "  - name: hot-reloaded",
                "    api-key-sha256: " + Sha256.hex(key),
                "    rate-limit: {requests-per-minute: " + requestsPerMinute + "}",
                "");
    }

    @Test
    void tenantsKeysAndLimitsChangeWithoutRestart() throws Exception {
        Path tenants = Profile.CONFIG_DIR.resolve("tenants.yaml");
        String original = Files.readString(tenants);
        String chat = "{\"model\": \"test-med\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
        try {
            assertThat(modelsStatus(HOT_KEY)).isEqualTo(401);
            ConfigCopy.replace(tenants, original + hotTenant(HOT_KEY, 2));
            Deadline.await("the added tenant's key accepted", () -> modelsStatus(HOT_KEY) == 200);
            for (int i = 0; i < 2; i++) {
                as(HOT_KEY).body(chat).post("/v1/chat/completions").then().statusCode(200)
                        .header("x-ratelimit-limit-requests", "2");
            }
            as(HOT_KEY).body(chat).post("/v1/chat/completions").then().statusCode(429)
                    .body("error.code", equalTo("rate_limit_exceeded"));

            // a rotation and a raised limit in one edit: the old key is gone, the new one has room
            ConfigCopy.replace(tenants, original + hotTenant(NEXT_KEY, 50));
            Deadline.await("the rotated key accepted", () -> modelsStatus(NEXT_KEY) == 200);
            assertThat(modelsStatus(HOT_KEY)).isEqualTo(401);
            as(HOT_KEY).body(chat).post("/v1/chat/completions").then().statusCode(401)
                    .body("error.code", equalTo("invalid_api_key"));
            as(NEXT_KEY).body(chat).post("/v1/chat/completions").then().statusCode(200)
                    .header("x-ratelimit-limit-requests", "50")
                    // the tenant's window outlived the edit: its 2 earlier requests still count
                    .header("x-ratelimit-remaining-requests", "47");
        } finally {
            ConfigCopy.replace(tenants, original);
            Deadline.await("the original tenants back in force", () -> modelsStatus(NEXT_KEY) == 401);
        }
    }

    /** A port nothing listens on: bound once, then closed, so a connection to it is refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void withNoSimulatedExpertSimIsNotThereAndADownExpertIsNamedNotItsAddress() throws Exception {
        Path experts = Profile.CONFIG_DIR.resolve("experts.yaml");
        String original = Files.readString(experts);
        String chat = "{\"model\": \"%s\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
        int port = closedPort();
        try {
            // while test-med is simulated, a tenant key that may use it reaches it, and no key is a 401
            alpha().body(chat.formatted("test-med")).post("/sim/test-med/v1/chat/completions").then().statusCode(200);
            given().contentType(ContentType.JSON).body(chat.formatted("test-med")).post("/sim/test-med/v1/chat/completions")
                    .then().statusCode(401);
            // the policies and tenants name these three: they stay, behind a port nothing listens on
            double reloads = Prometheus.value(SUCCEEDED);
            ConfigCopy.replace(experts, """
                    experts:
                      - id: test-med
                        base-url: http://127.0.0.1:%1$d/v1
                        model: test-meditron
                        quality: {general: 0.5}
                        fault-tolerance: {retries: 0}
                      - id: test-generalist
                        base-url: http://127.0.0.1:%1$d/v1
                        model: test-gpt
                        quality: {general: 0.9}
                        fault-tolerance: {retries: 0}
                      - id: always-down
                        base-url: http://127.0.0.1:%1$d/v1
                        model: broken-model
                        quality: {general: 0.1}
                        fault-tolerance: {retries: 0}
                    """.formatted(port));
            Deadline.await("a catalogue without simulated experts in force", () -> Prometheus.value(SUCCEEDED) > reloads);
            assertThat(models()).contains("test-med", "test-generalist", "always-down").doesNotContain("test-slow");
            for (String path : List.of("/sim/test-med/v1/chat/completions", "/sim/test-generalist/v1/chat/completions", "/sim/x")) {
                // with or without a key: nothing is there, so nothing asks who calls
                given().contentType(ContentType.JSON).body(chat.formatted("test-med")).post(path).then().statusCode(404)
                        .body("error.code", equalTo("model_not_found"));
                alpha().body(chat.formatted("test-med")).post(path).then().statusCode(404)
                        .body("error.type", equalTo("invalid_request_error"));
            }
            String message = alpha().body(chat.formatted("test-generalist")).post("/v1/chat/completions").then().statusCode(503)
                    .body("error.code", equalTo("expert_unavailable")).extract().jsonPath().getString("error.message");
            assertThat(message).matches("expert (test-generalist|always-down) could not be reached")
                    .doesNotContain(Integer.toString(port)).doesNotContain("127.0.0.1");
        } finally {
            ConfigCopy.replace(experts, original);
            Deadline.await("the original catalogue back in force", () -> models().contains("test-slow"));
        }
    }

    private static List<String> models() {
        return alpha().get("/v1/models").then().statusCode(200).extract().jsonPath().getList("data.id");
    }
}
