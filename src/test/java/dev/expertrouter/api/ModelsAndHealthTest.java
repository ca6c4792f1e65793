package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import dev.expertrouter.GatewayTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class ModelsAndHealthTest {

    @Inject
    Vertx vertx;

    @Test
    void theServerAndItsClientsRunOnLinuxNativeEpoll() {
        // quarkus.vertx.prefer-native-transport with netty-transport-native-epoll (linux-x86_64):
        // measured faster than NIO on loopback; a lost dependency or setting falls back silently
        assertThat(vertx.isNativeTransportEnabled()).as("native transport, cause if not: %s", vertx.unavailableNativeTransportCause())
                .isTrue();
    }

    @Test
    void modelsListsAutoPoliciesAndExpertsWithTheirKind() {
        alpha().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", hasItems("auto", "balanced", "failover", "test-generalist", "test-med", "always-down"))
                .body("data.find { it.id == 'test-med' }.kind", equalTo("expert"))
                .body("data.find { it.id == 'balanced' }.kind", equalTo("policy"))
                .body("data.find { it.id == 'auto' }.kind", equalTo("auto"));
    }

    @Test
    void modelsShowsOnlyWhatARestrictedTenantMayUse() {
        given().header("Authorization", "Bearer " + GatewayTestProfile.BETA_KEY).get("/v1/models").then().statusCode(200)
                .body("data.id", not(hasItem("always-down")))
                .body("data.id", not(hasItem("failover")));
    }

    @Test
    void healthIsUpWithoutAKeyAndReadinessNamesTheConfig() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'router' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'router' }.data.'config-loaded'", equalTo(true));
    }

    @Test
    void openApiAndMetricsAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/chat/completions"));
        alpha().body("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}").post("/v1/chat/completions").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("router_requests_total"));
    }

    @Test
    void routeDryRunExplainsTheDecisionWithoutCallingAnExpert() {
        alpha().body("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/route").then().statusCode(200)
                .body("expert", equalTo("test-generalist"))
                .body("policy", equalTo("balanced"))
                .body("router_version", equalTo("none"))
                .body("candidates.expert", hasItems("test-generalist", "test-med", "always-down"))
                .body("candidates[0].eligible", equalTo(true));
    }
}
