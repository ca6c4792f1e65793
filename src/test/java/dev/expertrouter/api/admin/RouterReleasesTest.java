package dev.expertrouter.api.admin;

import static dev.expertrouter.RoutedTestProfile.demo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Promotion and rollback swap the serving router in place, under load, behind the admin key. */
@QuarkusTest
@org.junit.jupiter.api.Tag("own-jvm-releases") // loads the router model under a profile of its own: a JVM of its own (see pom.xml)
@TestProfile(ReleasesTestProfile.class)
class RouterReleasesTest {

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ReleasesTestProfile.ADMIN_KEY).contentType(ContentType.JSON);
    }

    private static Response chat(int i) {
        return demo().body("""
                {"model": "auto", "messages": [{"role": "user", "content": "What is the integral of x^%d dx?"}], "max_tokens": 4}
                """.formatted(i % 7 + 2)).when().post("/v1/chat/completions");
    }

    @Test
    void adminEndpointsWantTheAdminKey() {
        given().when().get("/admin/router/versions").then().statusCode(401)
                .body("error.type", equalTo("authentication_error")).body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Bearer wrong").when().post("/admin/router/rollback").then().statusCode(401);
        demo().when().post("/admin/router/retrain").then().statusCode(403)
                .body("error.code", equalTo("admin_key_required"));
        demo().body("{\"version\": \"v3\"}").when().post("/admin/router/promote").then().statusCode(403);
    }

    @Test
    void badPromotionsAreRefusedAndChangeNothing() throws Exception {
        admin().body("{\"version\": \"v99\"}").when().post("/admin/router/promote").then().statusCode(400)
                .body("error.code", equalTo("invalid_version")).body("error.message", containsString("v99"));
        admin().body("{\"version\": \"../etc\"}").when().post("/admin/router/promote").then().statusCode(400);
        admin().body("not json").when().post("/admin/router/promote").then().statusCode(400)
                .body("error.code", equalTo("invalid_json"));
        admin().body("{}").when().post("/admin/router/promote").then().statusCode(400)
                .body("error.param", equalTo("version"));
        admin().when().get("/admin/router/versions").then().statusCode(200).body("serving", equalTo("v4"));
        assertThat(Files.readString(ReleasesTestProfile.MODELS.resolve("current")).strip()).isEqualTo("v4");
    }

    @Test
    void aRetrainWithoutItsDataIsRefusedNamingTheSetting() {
        admin().when().post("/admin/router/retrain").then().statusCode(409)
                .body("error.code", equalTo("retrain_failed"))
                .body("error.message", containsString("router.retrain.mmlu-dir"));
    }

    @Test
    void requestsDuringPromotionAndRollbackAllSucceedWithTheVersionThatDecided() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(6);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                int n = i;
                answers.add(callers.submit(() -> chat(n)));
            }
            admin().body("{\"version\": \"v3\"}").when().post("/admin/router/promote").then().statusCode(200)
                    .body("version", equalTo("v3")).body("previous", equalTo("v4"));
            for (int i = 30; i < 60; i++) {
                int n = i;
                answers.add(callers.submit(() -> chat(n)));
            }
            admin().when().get("/admin/router/versions").then().statusCode(200).body("serving", equalTo("v3"))
                    .body("history", equalTo(List.of("v4", "v3")));
            assertThat(chat(1).header("x-router-version")).isEqualTo("v3");
            admin().when().post("/admin/router/rollback").then().statusCode(200).body("version", equalTo("v4"));
            for (int i = 60; i < 90; i++) {
                int n = i;
                answers.add(callers.submit(() -> chat(n)));
            }
            List<String> versions = new ArrayList<>();
            for (Future<Response> answer : answers) {
                Response r = answer.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                versions.add(r.header("x-router-version"));
            }
            assertThat(versions).allMatch(v -> v.equals("v3") || v.equals("v4"));
        } finally {
            callers.shutdownNow();
        }
        assertThat(chat(2).header("x-router-version")).isEqualTo("v4");
        assertThat(Files.readString(ReleasesTestProfile.MODELS.resolve("current")).strip()).isEqualTo("v4");
        admin().when().post("/admin/router/rollback").then().statusCode(409)
                .body("error.code", equalTo("rollback_refused")).body("error.message", containsString("nothing to roll back"));
    }
}
