package dev.expertrouter.outcomes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored form of outcomes and feedback: one JSON object each, snake_case, with a schema version
 * {@code v} so readers can refuse what they do not understand. The embedding is base64 of
 * little-endian float32 ({@code embedding_b64}) beside {@code embedder_id}: a quarter of the size of
 * a JSON number array, and exactly the floats the router saw.
 */
public final class OutcomeCodec {

    /** Schema version of outcome and feedback records; bump on an incompatible change. */
    public static final int VERSION = 1;

    private OutcomeCodec() {
    }

    /**
     * An outcome as written: the record plus the instance that recorded it, so a replica tailing
     * the stream can skip what it already learned from locally.
     */
    public record Envelope(String origin, OutcomeRecord outcome) {
    }

    public static String encode(Envelope e) {
        OutcomeRecord o = e.outcome();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("v", VERSION);
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
        n.put("embedding_b64", o.embedding() == null ? null : embedding(o.embedding()));
        n.put("embedder_id", o.embedderId());
        n.put("upstream_latency_ms", o.upstreamLatencyMs());
        n.put("prompt_text", o.promptText());
        n.put("exploration", o.exploration());
        n.put("affinity", o.affinity());
        n.put("cost_estimated", o.costEstimated());
        return n.toString();
    }

    /** @throws IllegalArgumentException when the text is not an outcome of a known schema version */
    public static Envelope decode(String json) {
        JsonNode n = parse(json);
        if (n.path("v").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("outcome schema version " + n.path("v") + " is not " + VERSION);
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        n.path("scores").fields().forEachRemaining(f -> scores.put(f.getKey(), f.getValue().asDouble()));
        List<String> candidates = new ArrayList<>();
        n.path("candidates").forEach(c -> candidates.add(c.asText()));
        List<OutcomeRecord.Fallback> fallbacks = new ArrayList<>();
        n.path("fallbacks").forEach(f -> fallbacks.add(new OutcomeRecord.Fallback(f.path("expert").asText(), f.path("code").asText())));
        String b64 = text(n, "embedding_b64");
        OutcomeRecord o = new OutcomeRecord(required(n, "request_id"), Instant.parse(required(n, "time")),
                required(n, "tenant"), text(n, "policy"), text(n, "router_version"), text(n, "domain"),
                n.path("confidence").asDouble(), Map.copyOf(scores), n.path("forced").asBoolean(), text(n, "expert"),
                List.copyOf(candidates), List.copyOf(fallbacks), n.path("status").asInt(), text(n, "error_code"),
                n.path("upstream_status").asInt(), n.path("stream").asBoolean(), n.path("latency_ms").asLong(),
                n.path("prompt_tokens").asLong(), n.path("completion_tokens").asLong(), n.path("cost_usd").asDouble(),
                n.path("saved_usd").asDouble(), text(n, "prompt_sha256"), b64 == null ? null : embedding(b64),
                text(n, "embedder_id"), n.path("upstream_latency_ms").asLong(), text(n, "prompt_text"),
                n.path("exploration").asBoolean(), text(n, "affinity"), n.path("cost_estimated").asBoolean());
        return new Envelope(text(n, "origin"), o);
    }

    public static String encode(Feedback f) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("v", VERSION);
        n.put("request_id", f.requestId());
        n.put("tenant", f.tenant());
        n.put("expert", f.expert());
        n.put("routed_domain", f.routedDomain());
        n.put("corrected_domain", f.correctedDomain().orElse(null));
        n.put("score", f.score());
        n.put("source", f.source().name());
        n.put("time", f.time().toString());
        return n.toString();
    }

    /** @throws IllegalArgumentException when the text is not a feedback record of a known schema version */
    public static Feedback decodeFeedback(String json) {
        JsonNode n = parse(json);
        if (n.path("v").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("feedback schema version " + n.path("v") + " is not " + VERSION);
        }
        return new Feedback(required(n, "request_id"), required(n, "tenant"), required(n, "expert"),
                required(n, "routed_domain"), Optional.ofNullable(text(n, "corrected_domain")),
                n.path("score").asDouble(), Feedback.Source.valueOf(required(n, "source")),
                Instant.parse(required(n, "time")));
    }

    static String embedding(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    static float[] embedding(String b64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(v);
        return v;
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String required(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return v;
    }
}
