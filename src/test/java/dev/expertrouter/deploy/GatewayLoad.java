package dev.expertrouter.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.RoutedTestProfile;
import dev.expertrouter.testing.Deadline;
import dev.expertrouter.testing.RedisServer;
import dev.expertrouter.testing.RedisTestResource;
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
 * onto the failing expert (errors, fallbacks, retries, its circuit), feedback with and without a
 * domain correction, and tenants refused by their limits or admitted while Redis stalls.
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

    /** A second user turn: its conversation is looked up in the affinity store. */
    private static final String CONVERSATION = """
            {"model": "auto", "messages": [{"role": "user", "content": "What is a bond coupon?"},
             {"role": "assistant", "content": "The interest a bond pays."},
             {"role": "user", "content": "How do I compute the net present value of its coupon payments?"}]}
            """;

    private static final String WITHOUT_REDIS = "router_tenant_limits_without_redis_total";
    private static final String AFFINITY_FALLBACKS = "router_affinity_store_fallbacks_total";

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

    /**
     * The tenant panels' events: the throttled tenant's second request within a minute is refused
     * (of two in a row at most one fits its one a minute, whatever ran before), the broke tenant's
     * every request; then a request continuing a conversation while Redis stalls, so the demo
     * tenant's limits are checked fail-open on this replica and its affinity lookup falls back to
     * memory.
     */
    static void tenants() {
        String prompt = PROMPTS.get(0);
        List<Integer> throttled = List.of(chat(ObservedGatewayProfile.THROTTLED_KEY, body("auto", prompt, false)).statusCode(),
                chat(ObservedGatewayProfile.THROTTLED_KEY, body("auto", prompt, false)).statusCode());
        assertThat(throttled).as("one request a minute, two sent").contains(429);
        Response broke = chat(ObservedGatewayProfile.BROKE_KEY, body("auto", prompt, false));
        assertThat(broke.statusCode()).isEqualTo(429);
        assertThat(broke.jsonPath().getString("error.code")).isEqualTo("budget_exceeded");

        // a busy machine could reach the limit check or the lookup only after the stall: then stall again
        double limits = total(WITHOUT_REDIS);
        double lookups = total(AFFINITY_FALLBACKS);
        for (int attempt = 1; total(WITHOUT_REDIS) == limits || total(AFFINITY_FALLBACKS) == lookups; attempt++) {
            assertThat(attempt).as("a request admitted while Redis stalled (attempts)").isLessThanOrEqualTo(3);
            whileRedisStalls(() -> assertThat(chat(RoutedTestProfile.DEMO_KEY, CONVERSATION).statusCode()).isEqualTo(200));
        }
    }

    /**
     * Runs {@code request} while Redis answers nothing ({@code CLIENT PAUSE}, reads and writes,
     * 3 s, far beyond router.tenancy.redis-timeout and the affinity store's 50 ms), then waits for
     * Redis to answer again.
     */
    private static void whileRedisStalls(Runnable request) {
        RedisServer redis = RedisTestResource.server();
        assertThat(redis.command("CLIENT PAUSE 3000 ALL")).isEqualTo("+OK");
        request.run();
        Deadline.await("Redis answers after its pause", () -> "+PONG".equals(redis.command("PING")));
    }

    /** A counter's value so far, summed over its series. */
    private static double total(String counter) {
        double total = 0;
        for (String line : given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (line.startsWith(counter + "{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** Rates the first two answers given: one good, one poor with a corrected domain. */
    static void feedback(List<String> requestIds) {
        RoutedTestProfile.demo().body("{\"request_id\": \"" + requestIds.get(0) + "\", \"score\": 1.0}")
                .post("/v1/feedback").then().statusCode(200);
        RoutedTestProfile.demo().body("{\"request_id\": \"" + requestIds.get(1) + "\", \"score\": 0.2, \"domain\": \"humanities\"}")
                .post("/v1/feedback").then().statusCode(200);
    }

    private static Response chat(String body) {
        return chat(RoutedTestProfile.DEMO_KEY, body);
    }

    private static Response chat(String key, String body) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(body).post("/v1/chat/completions").andReturn();
    }

    private static String body(String model, String prompt, boolean stream) {
        String content = prompt.replace("\"", "\\\"");
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + content + "\"}]"
                + (stream ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}" : "") + "}";
    }
}
