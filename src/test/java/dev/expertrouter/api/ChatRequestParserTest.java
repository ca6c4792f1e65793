package dev.expertrouter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the body parser accepts before any JSON is read, and what the cost estimate is given. */
class ChatRequestParserTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void wellFormedUtf8PassesAndEachMalformedShapeIsFoundWhereItStarts() {
        assertThat(ChatRequestParser.firstMalformedUtf8("plain, é, €, 漢字, 𝄞".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(ChatRequestParser.firstMalformedUtf8(new byte[0])).isEqualTo(-1);
        assertThat(ChatRequestParser.firstMalformedUtf8(bytes('a', 0xC0, 0x80))).as("overlong NUL").isEqualTo(1);
        assertThat(ChatRequestParser.firstMalformedUtf8(bytes(0xE0, 0x80, 0xAF))).as("overlong '/'").isEqualTo(0);
        assertThat(ChatRequestParser.firstMalformedUtf8(bytes(0xF0, 0x80, 0x80, 0xAF))).as("overlong in 4 bytes").isEqualTo(0);
        assertThat(ChatRequestParser.firstMalformedUtf8(bytes('x', 'y', 0xED, 0xA0, 0x80))).as("encoded surrogate").isEqualTo(2);
        assertThat(ChatRequestParser.firstMalformedUtf8(bytes(0xF4, 0x90, 0x80, 0x80))).as("past U+10FFFF").isEqualTo(0);
        assertThat(ChatRequestParser.firstMalformedUtf8(bytes(0x80))).as("lone continuation").isEqualTo(0);
        assertThat(ChatRequestParser.firstMalformedUtf8(bytes('a', 0xE2, 0x82))).as("cut short").isEqualTo(1);
        assertThat(ChatRequestParser.firstMalformedUtf8(bytes(0xC3, 0x28))).as("no continuation").isEqualTo(0);
        assertThat(ChatRequestParser.firstMalformedUtf8(bytes(0xFF))).isEqualTo(0);
    }

    /** The JDK's decoder is strict: on any bytes, both agree on whether they are UTF-8. */
    @Test
    void agreesWithTheJdksStrictDecoderOnRandomBytes() {
        Random random = new Random(14);
        int malformed = 0;
        for (int n = 0; n < 100_000; n++) {
            byte[] b = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < b.length; i++) {
                // mostly the bytes multi-byte sequences are made of, so well-formed ones come up too
                b[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0x80 + random.nextInt(0x78));
            }
            boolean jdk = true;
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            } catch (CharacterCodingException e) {
                jdk = false;
            }
            boolean ours = ChatRequestParser.firstMalformedUtf8(b) < 0;
            if (ours != jdk) {
                assertThat(ours).as(java.util.HexFormat.ofDelimiter(" ").formatHex(b)).isEqualTo(jdk);
            }
            malformed += ours ? 0 : 1;
        }
        assertThat(malformed).isBetween(1_000, 99_000);
    }

    @Test
    void aBodyThatIsNotUtf8IsA400BeforeAnyJsonIsRead() {
        byte[] head = "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 5];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bytes(0xC0, 0x80, '"', '}', ']'), 0, body, head.length, 5);
        assertThatThrownBy(() -> ChatRequestParser.parseObject(body)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("invalid_json");
            assertThat(e.getMessage()).isEqualTo("request body is not valid UTF-8 (at byte " + head.length + ")");
        });
    }

    @Test
    void theLargerOfMaxTokensAndMaxCompletionTokensIsWhatTheAnswerMayCost() {
        String messages = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";
        assertThat(maxTokens("\"max_completion_tokens\": 20, \"max_tokens\": 4000, " + messages)).isEqualTo(4000);
        assertThat(maxTokens("\"max_tokens\": 20, \"max_completion_tokens\": 4000, " + messages)).isEqualTo(4000);
        assertThat(maxTokens("\"max_tokens\": 20, " + messages)).isEqualTo(20);
        assertThat(maxTokens("\"max_completion_tokens\": 30, " + messages)).isEqualTo(30);
        assertThat(ChatRequestParser.parse(("{\"model\": \"auto\", " + messages + "}").getBytes(StandardCharsets.UTF_8)).maxTokens())
                .isEmpty();
    }

    private static int maxTokens(String fields) {
        return ChatRequestParser.parse(("{\"model\": \"auto\", " + fields + "}").getBytes(StandardCharsets.UTF_8)).maxTokens().getAsInt();
    }
}
