package dev.expertrouter.api.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.expertrouter.GatewayTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/** Without {@code ROUTER_ADMIN_KEY} (this profile sets none) the admin endpoints are closed to every key. */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class AdminDisabledTest {

    @Test
    void adminExpertsIs403AdminDisabledWhateverTheKey() {
        for (String authorization : new String[] {null, "Bearer " + GatewayTestProfile.ALPHA_KEY, "Bearer anything"}) {
            RequestSpecification request = given();
            if (authorization != null) {
                request = request.header("authorization", authorization);
            }
            request.get("/admin/experts").then().statusCode(403)
                    .contentType(ContentType.JSON)
                    .body("error.type", equalTo("permission_error"))
                    .body("error.code", equalTo("admin_disabled"))
                    .body("error.message", containsString("ROUTER_ADMIN_KEY"));
        }
    }
}
