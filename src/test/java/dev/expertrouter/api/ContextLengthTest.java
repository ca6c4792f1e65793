package dev.expertrouter.api;

import static dev.expertrouter.GatewayTestProfile.alpha;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.expertrouter.GatewayTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** A prompt longer than every eligible expert's context window is OpenAI's 400, not a 422. */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class ContextLengthTest {

    @Test
    void aPromptTooLongForEveryExpertIs400ContextLengthExceeded() {
        // about 50,000 tokens, far over the test experts' 8,192-token windows, well under the body limit
        String longText = "word ".repeat(40_000);
        ErrorResponsesTest.error(alpha().body("{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"" + longText + "\"}]}")
                .post("/v1/chat/completions").then(), 400, "invalid_request_error", "context_length_exceeded")
                .body("error.param", equalTo("messages"))
                .body("error.message", containsString("context window"));
    }

    @Test
    void aPromptThatFitsWithoutMaxTokensButNotWithItIsAlsoContextLengthExceeded() {
        ErrorResponsesTest.error(alpha().body("{\"model\": \"auto\", \"max_tokens\": 9000, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post("/v1/chat/completions").then(), 400, "invalid_request_error", "context_length_exceeded");
    }
}
