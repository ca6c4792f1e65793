package dev.expertrouter.outcomes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.routing.quality.AnswerChecks;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

    /** Jackson's defaults, as {@code JsonNode.toString()} writes: the stored text does not change. */
    private static final JsonFactory GENERATORS = new JsonFactory();

    private OutcomeCodec() {
    }

    /**
     * An outcome as written: the record plus the instance that recorded it, so a replica tailing
     * the stream can skip what it already learned from locally.
     */
    public record Envelope(String origin, OutcomeRecord outcome) {
    }

    /**
     * Written field by field with a streaming generator: no tree of nodes per outcome (the tree
     * was 7% of a forced request's allocation), and the same text the tree gave.
     */
    public static String encode(Envelope e) {
        OutcomeRecord o = e.outcome();
        StringWriter out = new StringWriter(o.embedding() == null ? 1_024 : 3_072);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("origin", e.origin());
            g.writeStringField("request_id", o.requestId());
            g.writeStringField("time", o.time().toString());
            g.writeStringField("tenant", o.tenant());
            g.writeStringField("policy", o.policy());
            g.writeStringField("router_version", o.routerVersion());
            g.writeStringField("domain", o.domain());
            g.writeNumberField("confidence", o.confidence());
            g.writeObjectFieldStart("scores");
            for (Map.Entry<String, Double> s : o.scores().entrySet()) {
                g.writeNumberField(s.getKey(), s.getValue());
            }
            g.writeEndObject();
            g.writeBooleanField("forced", o.forced());
            g.writeStringField("expert", o.expert());
            g.writeArrayFieldStart("candidates");
            for (String c : o.candidates()) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("fallbacks");
            for (OutcomeRecord.Fallback f : o.fallbacks()) {
                g.writeStartObject();
                g.writeStringField("expert", f.expert());
                g.writeStringField("code", f.code());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("status", o.status());
            g.writeStringField("error_code", o.errorCode());
            g.writeNumberField("upstream_status", o.upstreamStatus());
            g.writeBooleanField("stream", o.stream());
            g.writeNumberField("latency_ms", o.latencyMs());
            g.writeNumberField("prompt_tokens", o.promptTokens());
            g.writeNumberField("completion_tokens", o.completionTokens());
            g.writeNumberField("cost_usd", o.costUsd());
            g.writeNumberField("saved_usd", o.savedUsd());
            g.writeStringField("prompt_sha256", o.promptSha256());
            g.writeStringField("embedding_b64", o.embedding() == null ? null : embedding(o.embedding()));
            g.writeStringField("embedder_id", o.embedderId());
            g.writeNumberField("upstream_latency_ms", o.upstreamLatencyMs());
            g.writeStringField("prompt_text", o.promptText());
            g.writeBooleanField("exploration", o.exploration());
            g.writeStringField("affinity", o.affinity());
            g.writeBooleanField("cost_estimated", o.costEstimated());
            if (o.answerChecks() != null) {
                // numbers only, named by the version of the checks that computed them
                g.writeNumberField("answer_checks_v", AnswerChecks.VERSION);
                g.writeArrayFieldStart("answer_checks");
                for (double x : o.answerChecks()) {
                    g.writeNumber(x);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write an outcome to a string", ex);
        }
        return out.toString();
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
                n.path("exploration").asBoolean(), text(n, "affinity"), n.path("cost_estimated").asBoolean(),
                answerChecks(n));
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

    /**
     * The answer checks when they were computed by this build's version of {@link AnswerChecks}; an
     * older or newer version's numbers mean other things, and are read as none.
     */
    private static double[] answerChecks(JsonNode n) {
        JsonNode checks = n.get("answer_checks");
        if (checks == null || !checks.isArray() || n.path("answer_checks_v").asInt(-1) != AnswerChecks.VERSION
                || checks.size() != AnswerChecks.FEATURES.size()) {
            return null;
        }
        double[] x = new double[checks.size()];
        for (int i = 0; i < x.length; i++) {
            JsonNode v = checks.get(i);
            if (!v.isNumber()) {
                return null;
            }
            x[i] = v.asDouble();
        }
        return x;
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
