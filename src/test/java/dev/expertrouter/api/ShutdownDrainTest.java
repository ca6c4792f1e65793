package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.expertrouter.GatewayTestProfile;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The drain that begins at shutdown: the event Quarkus fires when its shutdown delay starts
 * closes the front door. Fired here by the test; the gate is reopened after each test so the
 * classes sharing this Quarkus boot see an open gateway.
 */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class ShutdownDrainTest {

    private static final String BODY = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Inject
    Event<ShutdownDelayInitiatedEvent> shutdownStarts;

    @Inject
    ShutdownGate gate;

    @AfterEach
    void reopen() {
        gate.reopen();
    }

    @Test
    void whileDrainingEveryV1RequestIs503ShuttingDownWithRetryAfterAndConnectionClose() {
        alpha().body(BODY).post("/v1/chat/completions").then().statusCode(200);

        shutdownStarts.fire(new ShutdownDelayInitiatedEvent());

        ErrorResponsesTest.error(alpha().body(BODY).post("/v1/chat/completions").then(), 503, "upstream_error", "shutting_down")
                .header("retry-after", "1")
                .header("connection", "close");
        ErrorResponsesTest.error(alpha().get("/v1/models").then(), 503, "upstream_error", "shutting_down");
        ErrorResponsesTest.error(alpha().body(BODY).post("/v1/route").then(), 503, "upstream_error", "shutting_down");
        // readiness goes down so the load balancer stops sending; liveness stays up while requests finish
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void reopenedTheGatewayServesAgain() {
        shutdownStarts.fire(new ShutdownDelayInitiatedEvent());
        alpha().get("/v1/models").then().statusCode(503);
        gate.reopen();
        alpha().get("/v1/models").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
