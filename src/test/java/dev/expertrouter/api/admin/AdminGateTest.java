package dev.expertrouter.api.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.Sha256;
import dev.expertrouter.api.HardenedGatewayProfile;
import dev.expertrouter.testing.Deadline;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every admin endpoint, Quarkus REST resource or Vert.x route, goes through the one door: the same
 * 401/403 in the OpenAI shape without the admin key, and exactly one audit line per request naming
 * the key by fingerprint, never the key.
 */
@QuarkusTest
@TestProfile(HardenedGatewayProfile.class)
class AdminGateTest {

    private static final List<String> ENDPOINTS = List.of("GET /admin/experts", "GET /admin/scorecard",
            "GET /admin/tenants/alpha/usage", "GET /admin/router/versions", "POST /admin/router/rollback",
            "GET /admin/no-such-endpoint");

    /** The audit lines logged while {@code run} runs, once {@code expected} of them arrived. */
    private static List<String> auditLines(int expected, Runnable run) {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if ("dev.expertrouter.audit".equals(r.getLoggerName())) {
                    String text = r.getParameters() == null ? r.getMessage() : String.format(r.getMessage().replace("%d", "%s"), r.getParameters());
                    synchronized (lines) {
                        lines.add(text);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger audit = java.util.logging.Logger.getLogger("dev.expertrouter.audit");
        audit.addHandler(capture);
        try {
            run.run();
            Deadline.await(expected + " audit lines", () -> {
                synchronized (lines) {
                    return lines.size() >= expected;
                }
            });
        } finally {
            audit.removeHandler(capture);
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private static io.restassured.response.Response call(String endpoint, String key) {
        RequestSpecification r = given();
        if (key != null) {
            r = r.header("Authorization", "Bearer " + key);
        }
        String[] parts = endpoint.split(" ");
        return r.request(parts[0], parts[1]);
    }

    @Test
    void withoutTheAdminKeyEveryAdminEndpointIs401Or403InTheOpenAiShape() {
        for (String endpoint : ENDPOINTS) {
            call(endpoint, null).then().statusCode(401).contentType("application/json")
                    .body("error.type", equalTo("authentication_error")).body("error.code", equalTo("invalid_api_key"));
            call(endpoint, "sk-wrong").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
            call(endpoint, GatewayTestProfile.ALPHA_KEY).then().statusCode(403)
                    .body("error.type", equalTo("permission_error")).body("error.code", equalTo("admin_key_required"));
        }
    }

    @Test
    void eachAdminRequestLeavesOneAuditLineWithTheKeysFingerprintOnly() {
        String admin = "key:" + Sha256.hex(HardenedGatewayProfile.ADMIN_KEY).substring(0, 8);
        String tenant = "key:" + Sha256.hex(GatewayTestProfile.ALPHA_KEY).substring(0, 8);
        List<String> lines = auditLines(4, () -> {
            call("GET /admin/experts", HardenedGatewayProfile.ADMIN_KEY).then().statusCode(200);
            call("GET /admin/tenants/nobody/usage", HardenedGatewayProfile.ADMIN_KEY).then().statusCode(404)
                    .body("error.code", equalTo("unknown_tenant"));
            call("GET /admin/scorecard", GatewayTestProfile.ALPHA_KEY).then().statusCode(403);
            call("GET /admin/scorecard", null).then().statusCode(401);
        });
        assertThat(lines).as(lines.stream().collect(Collectors.joining("\n"))).hasSize(4);
        assertThat(lines.get(0)).contains("who=" + admin, "what=\"GET /admin/experts\"", "result=ok", "status=200");
        assertThat(lines.get(1)).contains("who=" + admin, "what=\"GET /admin/tenants/nobody/usage\"", "result=failed", "status=404");
        assertThat(lines.get(2)).contains("who=" + tenant, "result=denied", "status=403");
        assertThat(lines.get(3)).contains("who=none", "result=denied", "status=401");
        for (String line : lines) {
            assertThat(line).doesNotContain(HardenedGatewayProfile.ADMIN_KEY).doesNotContain(GatewayTestProfile.ALPHA_KEY);
        }
    }
}
