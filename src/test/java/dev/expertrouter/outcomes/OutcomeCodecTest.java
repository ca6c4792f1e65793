package dev.expertrouter.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.routing.quality.AnswerChecks;
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
    void answerChecksRoundTripAndChecksOfAnotherVersionAreReadAsNone() {
        OutcomeRecord o = OutcomeFixtures.outcome("r-9", "alpha");
        double[] checks = AnswerChecks.of("What is 2 + 3?", "2 + 3 = 5\n#### 5");
        OutcomeRecord checked = new OutcomeRecord(o.requestId(), o.time(), o.tenant(), o.policy(), o.routerVersion(),
                o.domain(), o.confidence(), o.scores(), o.forced(), o.expert(), o.candidates(), o.fallbacks(), o.status(),
                o.errorCode(), o.upstreamStatus(), o.stream(), o.latencyMs(), o.promptTokens(), o.completionTokens(),
                o.costUsd(), o.savedUsd(), o.promptSha256(), o.embedding(), o.embedderId(), o.upstreamLatencyMs(),
                o.promptText(), o.exploration(), o.affinity(), o.costEstimated(), checks);

        String json = OutcomeCodec.encode(new OutcomeCodec.Envelope("node-a", checked));

        assertThat(OutcomeCodec.decode(json).outcome().answerChecks()).containsExactly(checks);
        assertThat(json).contains("\"answer_checks_v\":" + AnswerChecks.VERSION);
        assertThat(OutcomeCodec.decode(json.replace("\"answer_checks_v\":" + AnswerChecks.VERSION, "\"answer_checks_v\":99"))
                .outcome().answerChecks()).isNull();
        assertThat(OutcomeCodec.decode(OutcomeCodec.encode(new OutcomeCodec.Envelope("node-a", o))).outcome().answerChecks())
                .isNull();
        assertThat(OutcomeCodec.encode(new OutcomeCodec.Envelope("node-a", o))).doesNotContain("answer_checks");
    }

    /** The tree the codec wrote before it streamed: the stored text must not change. */
    private static String asTree(OutcomeCodec.Envelope e) {
        OutcomeRecord o = e.outcome();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("v", OutcomeCodec.VERSION);
        n.put("origin", e.origin());
        n.put("request_id", o.requestId());
        n.put("time", o.time().toString());
        n.put("tenant", o.tenant());
        n.put("policy", o.policy());
        n.put("router_version", o.routerVersion());
        n.put("domain", o.domain());
        n.put("confidence", o.confidence());
        ObjectNode scores = n.putObject("scores");
        o.scores().forEach(scores::put);
        n.put("forced", o.forced());
        n.put("expert", o.expert());
        ArrayNode candidates = n.putArray("candidates");
        o.candidates().forEach(candidates::add);
        ArrayNode fallbacks = n.putArray("fallbacks");
        o.fallbacks().forEach(f -> fallbacks.addObject().put("expert", f.expert()).put("code", f.code()));
        n.put("status", o.status());
        n.put("error_code", o.errorCode());
        n.put("upstream_status", o.upstreamStatus());
        n.put("stream", o.stream());
        n.put("latency_ms", o.latencyMs());
        n.put("prompt_tokens", o.promptTokens());
        n.put("completion_tokens", o.completionTokens());
        n.put("cost_usd", o.costUsd());
        n.put("saved_usd", o.savedUsd());
        n.put("prompt_sha256", o.promptSha256());
        n.put("embedding_b64", o.embedding() == null ? null : OutcomeCodec.embedding(o.embedding()));
        n.put("embedder_id", o.embedderId());
        n.put("upstream_latency_ms", o.upstreamLatencyMs());
        n.put("prompt_text", o.promptText());
        n.put("exploration", o.exploration());
        n.put("affinity", o.affinity());
        n.put("cost_estimated", o.costEstimated());
        return n.toString();
    }

    @Test
    void theStreamedTextIsTheTextTheTreeWrote() {
        OutcomeRecord full = OutcomeFixtures.outcome("r-1", "alpha", "med-expert", "medical", 200,
                "Dosage for a \"child\"?\n\tÜbelkeit, 吐き気, emoji \uD83D\uDE00, control \u0001 and \\ backslash");
        OutcomeRecord failed = OutcomeFixtures.outcome("r-2", "beta", "", null, 503, null);
        OutcomeRecord bare = new OutcomeRecord("r-3", Instant.parse("2026-12-06T00:00:00.123456789Z"), "gamma", null,
                null, null, Double.NaN, java.util.Map.of(), true, null, java.util.List.of(), java.util.List.of(), 499,
                "client_closed_request", 0, true, 0, 0, 0, 0.0, -1.5e-9, null, null, null, 0, null, true, "kept", true);

        for (OutcomeRecord o : java.util.List.of(full, failed, bare)) {
            OutcomeCodec.Envelope e = new OutcomeCodec.Envelope(o == bare ? null : "node-a", o);
            assertThat(OutcomeCodec.encode(e)).isEqualTo(asTree(e));
        }
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
