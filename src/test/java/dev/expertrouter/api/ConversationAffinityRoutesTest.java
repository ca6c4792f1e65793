package dev.expertrouter.api;

import static dev.expertrouter.RoutedTestProfile.demo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.RoutedTestProfile;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.testing.CapturedOutcomes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Conversation affinity through the gateway with the shipped config and router model (no Redis
 * configured here: conversations are remembered by this replica). Each test's conversation has an
 * opening of its own, so tests do not see each other's conversations.
 */
@QuarkusTest
@TestProfile(RoutedTestProfile.class)
class ConversationAffinityRoutesTest {

    @Inject
    CapturedOutcomes outcomes;

    /** A chat body: user and assistant turns alternating, starting with the user. */
    static String chat(String model, String... userTurns) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", 8);
        ArrayNode messages = body.putArray("messages");
        for (int i = 0; i < userTurns.length; i++) {
            if (i > 0) {
                messages.addObject().put("role", "assistant").put("content", "Sure, here is my answer.");
            }
            messages.addObject().put("role", "user").put("content", userTurns[i]);
        }
        return body.toString();
    }

    static Response send(String body) {
        Response r = demo().body(body).post("/v1/chat/completions");
        r.then().statusCode(200);
        return r;
    }

    @Test
    void followUpsWithoutATopicOfTheirOwnKeepTheConversationsExpert() {
        String opening = "I've had a dry cough for three weeks and it gets worse at night. what could be causing it?";
        Response first = send(chat("auto", opening));
        String expert = first.header("x-router-expert");
        assertThat(first.header("x-router-affinity")).isEqualTo("new");
        assertThat(first.header("x-router-domain")).isEqualTo("medical");

        List<String> conversation = new ArrayList<>(List.of(opening));
        for (String followUp : List.of("shorter please", "and in French?", "why?",
                "Rewrite your previous response. Start every sentence with the letter A.")) {
            conversation.add(followUp);
            Response r = send(chat("auto", conversation.toArray(String[]::new)));
            assertThat(r.header("x-router-affinity")).as(followUp).isEqualTo("kept");
            assertThat(r.header("x-router-expert")).as(followUp).isEqualTo(expert);
        }
    }

    @Test
    void aConfidentTopicChangeSwitchesToTheNewDomainsExpert() {
        String opening = "how do I sort a list of objects by a field in Java?";
        String change = "thanks. on a different note, how much paracetamol can an adult safely take in a day?";
        Response first = send(chat("auto", opening));
        assertThat(first.header("x-router-domain")).isEqualTo("code");

        // balanced reads the turn inside the routed text's one embedding pass
        demo().body(chat("auto", opening, change)).post("/v1/route").then().statusCode(200)
                .body("affinity", equalTo("switched"))
                .body("affinity_reason", endsWith("(conversation: code; turn read in context)"));
        Response switched = send(chat("auto", opening, change));

        assertThat(switched.header("x-router-affinity")).isEqualTo("switched");
        assertThat(switched.header("x-router-domain")).isEqualTo("medical");
        assertThat(switched.header("x-router-expert")).isNotEqualTo(first.header("x-router-expert"));
        // the new subject sticks: a follow-up stays with the expert that took it
        Response after = send(chat("auto", opening, change, "shorter please"));
        assertThat(after.header("x-router-affinity")).isEqualTo("kept");
        assertThat(after.header("x-router-expert")).isEqualTo(switched.header("x-router-expert"));
    }

    @Test
    void theQualityFirstPolicyReadsTheTurnOnItsOwn() {
        String opening = "how do I reverse a linked list in Java?";
        String change = "thanks. unrelated: I've had lower back pain for two weeks after lifting boxes, what should I do?";
        send(chat("quality-first", opening));

        demo().body(chat("quality-first", opening, change)).post("/v1/route").then().statusCode(200)
                .body("affinity", equalTo("switched"))
                .body("affinity_reason", endsWith("(conversation: code; turn read alone)"));
        Response switched = send(chat("quality-first", opening, change));
        assertThat(switched.header("x-router-affinity")).isEqualTo("switched");
        assertThat(switched.header("x-router-domain")).isEqualTo("medical");
    }

    @Test
    void theDryRunExplainsAffinityWithoutRememberingAnything() {
        String opening = "what's the difference between a stock and a bond";
        String followUp = chat("auto", opening, "summarise that in one sentence");
        // the opening was never answered: the follow-up starts the conversation
        demo().body(followUp).post("/v1/route").then().statusCode(200).body("affinity", equalTo("new"));
        demo().body(followUp).post("/v1/route").then().statusCode(200).body("affinity", equalTo("new"));

        String expert = send(chat("auto", opening)).header("x-router-expert");
        demo().body(followUp).post("/v1/route").then().statusCode(200)
                .body("affinity", equalTo("kept"))
                .body("expert", equalTo(expert))
                .body("affinity_reason", equalTo("kept " + expert + " (conversation: finance)"));
    }

    @Test
    void aNamedSessionKeepsItsExpertWhateverTheClientResends() {
        String session = "sess-" + UUID.randomUUID();
        Response first = demo().header("x-router-session", session).body(chat("auto", "how do I calculate the return on a rental property"))
                .post("/v1/chat/completions");
        first.then().statusCode(200).header("x-router-affinity", "new");

        // a client that sends only its newest message: the session names the conversation
        Response second = demo().header("x-router-session", session).body(chat("auto", "and in French?"))
                .post("/v1/chat/completions");
        second.then().statusCode(200).header("x-router-affinity", "kept")
                .header("x-router-expert", first.header("x-router-expert"));
    }

    @Test
    void aBadSessionHeaderIs400() {
        for (String bad : List.of("has space", "x".repeat(129), "ü-umlaut", "")) {
            demo().header("x-router-session", bad).body(chat("auto", "hello there")).post("/v1/chat/completions")
                    .then().statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.code", equalTo("invalid_header"))
                    .body("error.param", equalTo("x-router-session"));
        }
        demo().header("x-router-session", "bad id").body(chat("auto", "hello there")).post("/v1/route")
                .then().statusCode(400).body("error.code", equalTo("invalid_header"));
    }

    @Test
    void outcomesAndMetricsRecordTheVerdict() {
        String opening = "explain how a mortgage amortization schedule works";
        demo().header("x-request-id", "affinity-outcome-1").body(chat("auto", opening)).post("/v1/chat/completions")
                .then().statusCode(200);
        demo().header("x-request-id", "affinity-outcome-2").body(chat("auto", opening, "can you give me an example?"))
                .post("/v1/chat/completions").then().statusCode(200);

        assertThat(await("affinity-outcome-1").affinity()).isEqualTo("new");
        assertThat(await("affinity-outcome-2").affinity()).isEqualTo("kept");
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("router_affinity_decisions_total\\{[^}]*affinity=\"kept\"[^}]*policy=\"balanced\"[^}]*\\} [1-9]");
    }

    @Test
    void aForcedExpertIsNotTouchedByAffinity() {
        Response r = send(chat("med-expert", "my knee hurts after running", "shorter please"));

        assertThat(r.header("x-router-affinity")).isNull();
        assertThat(r.header("x-router-expert")).isEqualTo("med-expert");
    }

    private OutcomeRecord await(String requestId) {
        return outcomes.await(requestId, Duration.ofSeconds(5));
    }
}
