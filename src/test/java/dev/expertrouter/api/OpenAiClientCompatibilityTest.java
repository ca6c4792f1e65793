package dev.expertrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.GatewayTestProfile;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An unmodified OpenAI client library (LangChain4j's OpenAI module) pointed at the gateway. */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class OpenAiClientCompatibilityTest {

    @TestHTTPResource("/v1")
    URL v1;

    @Test
    void blockingChatThroughTheGateway() {
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(v1.toString())
                .apiKey(GatewayTestProfile.ALPHA_KEY)
                .modelName("auto")
                .maxTokens(6)
                .timeout(Duration.ofSeconds(10))
                .build();
        ChatResponse response = model.chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
                .messages(dev.langchain4j.data.message.UserMessage.from("What is the capital of France?")).build());
        assertThat(response.aiMessage().text()).startsWith("[test-generalist]");
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(6);
        assertThat(response.metadata().modelName()).isEqualTo("test-gpt");
    }

    @Test
    void streamingChatThroughTheGateway() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(v1.toString())
                .apiKey(GatewayTestProfile.ALPHA_KEY)
                .modelName("test-med")
                .timeout(Duration.ofSeconds(10))
                .build();
        StringBuilder partials = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat("Is this mole dangerous?", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(10, TimeUnit.SECONDS);
        assertThat(partials.toString()).startsWith("[test-med]");
        assertThat(response.aiMessage().text()).isEqualTo(partials.toString());
    }
}
