package dev.expertrouter.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    @Test
    void eventsSplitAcrossChunksAndLineEndingsAreReassembled() {
        SseParser parser = new SseParser();
        List<String> events = new ArrayList<>();
        String stream = ": keep-alive\r\n\r\ndata: {\"a\":1}\r\n\r\nevent: x\ndata: {\"b\":\ndata: 2}\n\ndata: [DONE]\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 3) {
            events.addAll(parser.feed(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 3))));
        }
        events.addAll(parser.finish());
        assertThat(events).containsExactly("{\"a\":1}", "{\"b\":\n2}", "[DONE]");
    }

    @Test
    void multiByteCharactersSplitAcrossChunksSurvive() {
        SseParser parser = new SseParser();
        byte[] bytes = "data: héllo 🎉\n\n".getBytes(StandardCharsets.UTF_8);
        List<String> events = new ArrayList<>(parser.feed(java.util.Arrays.copyOfRange(bytes, 0, 9)));
        events.addAll(parser.feed(java.util.Arrays.copyOfRange(bytes, 9, bytes.length)));
        assertThat(events).containsExactly("héllo 🎉");
    }

    @Test
    void aLastEventWithoutBlankLineIsDeliveredAtTheEnd() {
        SseParser parser = new SseParser();
        assertThat(parser.feed("data: tail".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(parser.finish()).containsExactly("tail");
    }

    @Test
    void anEndlessLineIsRefusedInsteadOfGrowingMemory() {
        SseParser parser = new SseParser();
        byte[] chunk = new byte[1024 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        assertThatThrownBy(() -> {
            for (int i = 0; i < 6; i++) {
                parser.feed(chunk);
            }
        }).isInstanceOf(IllegalStateException.class);
    }
}
