package dev.expertrouter.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.RoutedTestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A short, bounded load on the running gateway that exercises every dashboard row: whole and
 * streamed answers in every domain, prompts with no routable text (escalation), requests forced
 * onto the failing expert (errors, fallbacks, retries, its circuit), and feedback with and
 * without a domain correction.
 */
final class GatewayLoad {

    static final List<String> PROMPTS = List.of(
            "What are the symptoms of type 2 diabetes and how is it treated?",
            "Is a verbal agreement legally binding in a dispute over a residential lease?",
            "How do I compute the net present value of a bond's coupon payments?",
            "Write a Python function that reverses a singly linked list in place.",
            "Solve the integral of x^2 sin(x) with respect to x.",
            "Why does the photoelectric effect show that light is quantized?",
            "What were the main causes of the fall of the Western Roman Empire?",
            "Suggest a friendly name for my new golden retriever puppy.");

    private GatewayLoad() {
    }

    /** Runs the load on 4 callers; returns the request ids of answered whole requests. */
    static List<String> run(int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Response>> calls = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (String prompt : PROMPTS) {
                    calls.add(pool.submit(() -> chat(body("auto", prompt, false))));
                    calls.add(pool.submit(() -> chat(body("auto", prompt, true))));
                }
                calls.add(pool.submit(() -> chat(body("auto", "", false)))); // no text to route: no verdict
                calls.add(pool.submit(() -> chat(body(ObservedGatewayProfile.FLAKY, "Hello there", false))));
            }
            tripBreaker();
            List<String> answered = new ArrayList<>();
            for (Future<Response> call : calls) {
                Response r = call.get(60, TimeUnit.SECONDS);
                if (r.statusCode() == 200 && !r.contentType().startsWith("text/event-stream")) {
                    answered.add(r.header("x-request-id"));
                }
            }
            assertThat(answered).as("answered whole requests").hasSizeGreaterThanOrEqualTo(rounds * PROMPTS.size());
            return answered;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Three requests in a row forced onto the breaker expert: its 5-call window fills on the third
     * request's first attempt, the circuit opens, and the guard refuses that request's retry (a
     * rejection, {@code circuit_open}). Afterwards the open circuit makes it unavailable (503).
     */
    static void tripBreaker() {
        for (int i = 0; i < 3; i++) {
            assertThat(chat(body(ObservedGatewayProfile.BREAKER, "Hello there", false)).statusCode()).isGreaterThanOrEqualTo(500);
        }
    }

    /** Rates the first two answers given: one good, one poor with a corrected domain. */
    static void feedback(List<String> requestIds) {
        RoutedTestProfile.demo().body("{\"request_id\": \"" + requestIds.get(0) + "\", \"score\": 1.0}")
                .post("/v1/feedback").then().statusCode(200);
        RoutedTestProfile.demo().body("{\"request_id\": \"" + requestIds.get(1) + "\", \"score\": 0.2, \"domain\": \"humanities\"}")
                .post("/v1/feedback").then().statusCode(200);
    }

    private static Response chat(String body) {
        return given().header("Authorization", "Bearer " + RoutedTestProfile.DEMO_KEY).contentType(ContentType.JSON)
                .body(body).post("/v1/chat/completions").andReturn();
    }

    private static String body(String model, String prompt, boolean stream) {
        String content = prompt.replace("\"", "\\\"");
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + content + "\"}]"
                + (stream ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}" : "") + "}";
    }
}
