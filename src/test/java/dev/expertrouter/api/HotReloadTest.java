package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.testing.ConfigCopy;
import dev.expertrouter.testing.Deadline;
import dev.expertrouter.testing.Prometheus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edits of the config directory take effect without a restart; a bad edit is refused and counted. */
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

    private static List<String> models() {
        return alpha().get("/v1/models").then().statusCode(200).extract().jsonPath().getList("data.id");
    }
}
