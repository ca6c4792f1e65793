package dev.expertrouter.tenancy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import dev.expertrouter.GatewayTestProfile;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.OutcomeStore;
import dev.expertrouter.testing.Deadline;
import dev.expertrouter.testing.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Tenant limits, budgets and the hardened HTTP surface, each tested as the attack or abuse it stops. */
@QuarkusTest
@TestProfile(TenancyTestProfile.class)
class TenancyEndToEndTest {

    @Inject
    OutcomeStore outcomes;

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private static String chat(String model, String extra) {
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"What is a good name for a cat?\"}]"
                + extra + "}";
    }

    @Test
    void aTenantPastItsRequestLimitGets429WithOpenAisHeaders() {
        for (int i = 0; i < 5; i++) {
            as(TenancyTestProfile.LIMITED_KEY).body(chat("test-med", "")).post("/v1/chat/completions").then()
                    .statusCode(200)
                    .header("x-ratelimit-limit-requests", "5")
                    .header("x-ratelimit-remaining-requests", Integer.toString(4 - i))
                    .header("x-ratelimit-limit-tokens", "1000000")
                    .header("x-ratelimit-reset-requests", matchesPattern("[0-9.]+m?s|[0-9]+m[0-9.]+s"));
        }
        as(TenancyTestProfile.LIMITED_KEY).body(chat("test-med", "")).post("/v1/chat/completions").then()
                .statusCode(429)
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("rate_limit_exceeded"))
                .header("retry-after", matchesPattern("[1-9][0-9]*"))
                .header("x-ratelimit-remaining-requests", "0");
    }

    @Test
    void everyKeyOfATenantWorksDuringARotation() {
        as(TenancyTestProfile.OLD_KEY).get("/v1/models").then().statusCode(200);
        as(TenancyTestProfile.NEW_KEY).get("/v1/models").then().statusCode(200);
        as("sk-test-rotating-guess").get("/v1/models").then().statusCode(401);
    }

    @Test
    void manyChoicesCannotDodgeTheCostCeiling() {
        // test-med: 1 USD per million tokens; 20 output tokens fit under the cap once, not 128 times
        String cap = "0.0002";
        GatewayTestProfile.alpha().header("x-router-max-cost-usd", cap).body(chat("test-med", ", \"max_tokens\": 20"))
                .post("/v1/chat/completions").then().statusCode(200);
        GatewayTestProfile.alpha().header("x-router-max-cost-usd", cap).body(chat("test-med", ", \"max_tokens\": 20, \"n\": 128"))
                .post("/v1/chat/completions").then().statusCode(422).body("error.code", equalTo("constraint_unmet"));
        GatewayTestProfile.alpha().header("x-router-max-cost-usd", cap)
                .body(chat("test-med", ", \"max_completion_tokens\": 20, \"n\": 128")).post("/v1/chat/completions").then()
                .statusCode(422);
        // both fields reach the expert, and one that honours max_tokens may write that many: the larger one is estimated
        GatewayTestProfile.alpha().header("x-router-max-cost-usd", cap)
                .body(chat("test-med", ", \"max_completion_tokens\": 20, \"max_tokens\": 4000")).post("/v1/chat/completions").then()
                .statusCode(422).body("error.code", equalTo("constraint_unmet"));
        GatewayTestProfile.alpha().header("x-router-max-cost-usd", cap)
                .body(chat("test-med", ", \"max_tokens\": 20, \"max_completion_tokens\": 4000")).post("/v1/chat/completions").then()
                .statusCode(422).body("error.code", equalTo("constraint_unmet"));
        GatewayTestProfile.alpha().body(chat("auto", ", \"max_completion_tokens\": 20, \"max_tokens\": -5"))
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("max_tokens"));
        GatewayTestProfile.alpha().body(chat("auto", ", \"n\": 129")).post("/v1/chat/completions").then().statusCode(400)
                .body("error.param", equalTo("n"));
    }

    private static double spentToday(String tenant) {
        return given().header("Authorization", "Bearer " + TenancyTestProfile.ADMIN_KEY).get("/admin/tenants/" + tenant + "/usage")
                .then().statusCode(200).extract().jsonPath().getDouble("spend_usd.today");
    }

    /** Settlement is asynchronous: polls until the spend moved from {@code before}, failing after a deadline. */
    private static double spendAfter(String tenant, double before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            double now = spentToday(tenant);
            if (Math.abs(now - before) > 1e-12) {
                return now;
            }
        }
        throw new AssertionError("the spend of " + tenant + " never moved from " + before);
    }

    private OutcomeRecord storedOutcome(String requestId) {
        Deadline.await("the outcome of " + requestId + " in Redis", () -> outcomes.outcome(requestId).isPresent());
        return outcomes.outcome(requestId).orElseThrow();
    }

    @Test
    void streamedAndWholeAnswersAreChargedTheSameForTheSameUsage() {
        double start = spentToday("budgeted");
        as(TenancyTestProfile.BUDGET_KEY).header("x-request-id", "tenancy-whole").body(chat("test-med", ""))
                .post("/v1/chat/completions").then().statusCode(200);
        double afterWhole = spendAfter("budgeted", start);
        as(TenancyTestProfile.BUDGET_KEY).header("x-request-id", "tenancy-streamed").body(chat("test-med", ", \"stream\": true"))
                .post("/v1/chat/completions").then().statusCode(200);
        double afterStream = spendAfter("budgeted", afterWhole);
        // test-med: 1 USD per million tokens in and out; both answers used the same tokens
        assertThat(afterWhole - start).isGreaterThan(0);
        assertThat(afterStream - afterWhole).isCloseTo(afterWhole - start, org.assertj.core.data.Offset.offset(1e-9));
        // both were charged what the expert reported, not an estimate
        assertThat(storedOutcome("tenancy-whole").costEstimated()).isFalse();
        assertThat(storedOutcome("tenancy-streamed").costEstimated()).isFalse();
    }

    @Test
    void aStreamCutBeforeItsUsageArrivedIsChargedItsEstimateAndMarkedSo() {
        double start = spentToday("budgeted");
        String body = as(TenancyTestProfile.BUDGET_KEY).header("x-request-id", "tenancy-cut-stream")
                .body(chat("test-dropper", ", \"stream\": true")).post("/v1/chat/completions").then().extract().asString();
        assertThat(body).contains("stream_interrupted").doesNotContain("[DONE]");
        double charged = spendAfter("budgeted", start) - start;
        assertThat(charged).isGreaterThan(0);
        OutcomeRecord stored = storedOutcome("tenancy-cut-stream");
        assertThat(stored.expert()).isEqualTo("test-dropper");
        assertThat(stored.costEstimated()).as("the stored outcome says its cost is an estimate").isTrue();
        assertThat(stored.costUsd()).isCloseTo(charged, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void usageNeedsTheAdminKeyAndNamesTheLimits() {
        as(TenancyTestProfile.BUDGET_KEY).get("/admin/tenants/budgeted/usage").then().statusCode(403)
                .body("error.type", equalTo("permission_error"));
        given().get("/admin/tenants/budgeted/usage").then().statusCode(401);
        given().header("Authorization", "Bearer " + TenancyTestProfile.ADMIN_KEY).get("/admin/tenants/budgeted/usage").then()
                .statusCode(200)
                .body("budget_usd.day.limit", equalTo(1000.0f))
                .body("budget_usd.day.resets_at", notNullValue())
                .body("spend_usd.source", equalTo("redis"));
        given().header("Authorization", "Bearer " + TenancyTestProfile.ADMIN_KEY).get("/admin/tenants/nobody/usage").then()
                .statusCode(404).body("error.code", equalTo("unknown_tenant"));
    }

    private static long uploadedFiles() throws IOException {
        Path dir = Path.of("file-uploads");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void aMultipartPostToTheSimulatedExpertsLeavesNoFile() throws IOException {
        long before = uploadedFiles();
        byte[] file = new byte[256 * 1024];
        for (String path : List.of("/sim/x/v1/chat/completions", "/sim/test-med/v1/chat/completions", "/sim/test-med/upload")) {
            int status = given().multiPart("file", "big.bin", file).post(path).then().extract().statusCode();
            assertThat(status).as(path).isIn(401, 404);
        }
        int withKey = as(GatewayTestProfile.ALPHA_KEY).contentType("multipart/form-data").multiPart("file", "big.bin", file)
                .post("/sim/test-med/v1/chat/completions").then().extract().statusCode();
        assertThat(withKey).isBetween(400, 499);
        assertThat(uploadedFiles()).isEqualTo(before);
    }

    @Test
    void formBodiesToV1AreRefusedAs415WithOrWithoutAKeyAndLogNoStackTrace() {
        String form = "model=auto&messages=" + "x".repeat(8 * 1024);
        try (LogCapture log = LogCapture.start()) {
            for (RequestSpecification caller : List.of(given(), given().header("Authorization", "Bearer " + GatewayTestProfile.ALPHA_KEY))) {
                Response r = caller.contentType("application/x-www-form-urlencoded").body(form).post("/v1/chat/completions");
                r.then().statusCode(415).body("error.code", equalTo("unsupported_media_type"))
                        .body("error.type", equalTo("invalid_request_error"));
            }
            given().header("Authorization", "Bearer " + GatewayTestProfile.ALPHA_KEY).multiPart("messages", "x".repeat(8 * 1024))
                    .post("/v1/chat/completions").then().statusCode(415).body("error.type", equalTo("invalid_request_error"));
            // a request after them: whatever the refusals logged was logged by the time it is answered
            as(GatewayTestProfile.ALPHA_KEY).get("/v1/models").then().statusCode(200);
            log.assertNoStackTrace();
        }
    }

    @Test
    void simulatedExpertsNeedATenantKeyAllowedToUseThem() {
        String body = chat("test-med", "");
        given().contentType(ContentType.JSON).body(body).post("/sim/test-med/v1/chat/completions").then().statusCode(401)
                .body("error.type", equalTo("authentication_error"));
        as(GatewayTestProfile.BETA_KEY).body(body).post("/sim/test-med/v1/chat/completions").then().statusCode(200);
        // beta may not use always-down: it is not even there for beta
        as(GatewayTestProfile.BETA_KEY).body(body).post("/sim/always-down/v1/chat/completions").then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
    }

    @Test
    void aRestrictedTenantsDryRunListsOnlyItsExperts() {
        as(GatewayTestProfile.BETA_KEY).body(chat("auto", "")).post("/v1/route").then().statusCode(200)
                .body("candidates.expert", everyItem(in(List.of("test-generalist", "test-med"))));
    }
}
