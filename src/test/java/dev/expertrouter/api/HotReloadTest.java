package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.GatewayTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class HotReloadTest {

    private static final String NEW_EXPERT = """
              - id: hot-added
                model: hot-model
                quality: {general: 0.3}
                simulated: {latency-ms: 1, output-tokens: 3}
            """;

    @Test
    void anAddedExpertIsServedWithoutRestartAndABadEditKeepsTheOldConfig() throws Exception {
        Path experts = GatewayTestProfile.configDir().resolve("experts.yaml");
        String original = Files.readString(experts);
        try {
            Files.writeString(experts, original + NEW_EXPERT);
            awaitTrue(() -> models().contains("hot-added"));
            alpha().body("{\"model\":\"hot-added\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .post("/v1/chat/completions").then().statusCode(200).header("x-router-expert", "hot-added");

            Files.writeString(experts, original + "  - id: [broken\n");
            Thread.sleep(800);
            assertThat(models()).contains("hot-added");
            alpha().body("{\"model\":\"hot-added\",\"messages\":[{\"role\":\"user\",\"content\":\"still here\"}]}")
                    .post("/v1/chat/completions").then().statusCode(200);
        } finally {
            Files.writeString(experts, original);
            awaitTrue(() -> !models().contains("hot-added"));
        }
    }

    private static List<String> models() {
        return alpha().get("/v1/models").then().statusCode(200).extract().jsonPath().getList("data.id");
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(until);
            Thread.sleep(100);
        }
    }
}
