package dev.expertrouter.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutcomeCodecTest {

    @Test
    void anOutcomeSurvivesTheRoundTripWithItsEmbeddingBitForBit() {
        OutcomeRecord o = OutcomeFixtures.outcome("r-1", "alpha");

        String json = OutcomeCodec.encode(new OutcomeCodec.Envelope("node-a", o));
        OutcomeCodec.Envelope back = OutcomeCodec.decode(json);

        assertThat(json).contains("\"v\":1").contains("\"embedding_b64\":").contains("\"embedder_id\":\"all-minilm-l6-v2-q\"")
                .doesNotContain("\n");
        assertThat(back.origin()).isEqualTo("node-a");
        assertThat(back.outcome().embedding()).containsExactly(o.embedding());
        assertThat(back.outcome()).usingRecursiveComparison().ignoringFields("embedding").isEqualTo(o);
    }

    @Test
    void littleEndianFloat32() {
        // 1.0f is 0x3f800000: little-endian bytes 00 00 80 3f
        assertThat(OutcomeCodec.embedding(new float[] {1.0f})).isEqualTo("AACAPw==");
    }

    @Test
    void feedbackRoundTripsAndUnknownVersionsAreRefused() {
        Feedback f = new Feedback("r-2", "alpha", "med-expert", "medical", Optional.of("legal"), 0.25, Feedback.Source.USER,
                Instant.parse("2026-12-02T12:00:01Z"));
        assertThat(OutcomeCodec.decodeFeedback(OutcomeCodec.encode(f))).isEqualTo(f);
        assertThatThrownBy(() -> OutcomeCodec.decode("{\"v\":99,\"request_id\":\"x\"}")).hasMessageContaining("version");
        assertThatThrownBy(() -> OutcomeCodec.decode("{\"v\":1,\"req")).isInstanceOf(IllegalArgumentException.class);
    }
}
