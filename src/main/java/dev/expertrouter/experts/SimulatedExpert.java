package dev.expertrouter.experts;

import dev.expertrouter.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.SimulatedConfig;
import java.util.random.RandomGenerator;

/**
 * What a simulated expert says: OpenAI-shaped completion bodies and stream chunks, with token
 * counts from its config. It does not grade itself; per-domain quality is data for routing
 * simulations, not something the live endpoint acts out.
 */
public final class SimulatedExpert {

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String[] WORDS = ("the expert considers your question carefully and answers with a concise "
            + "explanation that covers the key facts the main caveats and a short recommendation for next steps").split(" ");

    private final ExpertConfig expert;
    private final SimulatedConfig sim;
    private final RandomGenerator random;

    public SimulatedExpert(ExpertConfig expert, RandomGenerator random) {
        this.expert = expert;
        this.sim = expert.simulated().orElseThrow(() -> new IllegalArgumentException(expert.id() + " is not simulated"));
        this.random = random;
    }

    /** How one call misbehaves, if at all. */
    public enum Fault {
        NONE, HANG, RESET, ERROR, MALFORMED
    }

    /** Milliseconds before the answer (or its first token): median, log-normal-like spread, and spikes. */
    public long latencyMs() {
        long latency = sim.latencyMs();
        if (sim.latencyJitterMs() > 0) {
            double sigma = Math.log1p((double) sim.latencyJitterMs() / Math.max(1, sim.latencyMs()));
            latency = Math.max(0, Math.round(sim.latencyMs() * Math.exp(random.nextGaussian() * sigma)));
        }
        return happens(sim.latencySpikeRate()) ? latency + sim.latencySpikeMs() : latency;
    }

    /** Draws this call's fault; each rate is independent, checked in the order of {@link Fault}. */
    public Fault fault() {
        if (happens(sim.hangRate())) {
            return Fault.HANG;
        }
        if (happens(sim.resetRate())) {
            return Fault.RESET;
        }
        if (happens(sim.errorRate())) {
            return Fault.ERROR;
        }
        if (happens(sim.malformedRate())) {
            return Fault.MALFORMED;
        }
        return Fault.NONE;
    }

    public boolean shouldFail() {
        return happens(sim.errorRate());
    }

    /** Whether this streamed call is cut after {@link SimulatedConfig#dropAfterChunks()} chunks. */
    public boolean dropsStream() {
        return happens(sim.dropRate());
    }

    public SimulatedConfig config() {
        return sim;
    }

    private boolean happens(double rate) {
        return rate > 0 && random.nextDouble() < rate;
    }

    public int outputTokens(JsonNode request) {
        int max = request.path("max_completion_tokens").asInt(request.path("max_tokens").asInt(Integer.MAX_VALUE));
        return Math.max(1, Math.min(sim.outputTokens(), max));
    }

    public String finishReason(JsonNode request) {
        return outputTokens(request) < sim.outputTokens() ? "length" : "stop";
    }

    public static long promptTokens(JsonNode request) {
        long chars = 0;
        int messages = 0;
        for (JsonNode m : request.path("messages")) {
            messages++;
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                chars += content.asText().length();
            } else {
                for (JsonNode part : content) {
                    chars += part.path("text").asText("").length();
                }
            }
        }
        return dev.expertrouter.routing.ChatPrompt.estimateTokens(chars, messages);
    }

    /** The token at position i of the answer (one word a token, for simplicity). */
    public String token(int i) {
        if (i == 0) {
            return "[" + expert.id() + "]";
        }
        return " " + WORDS[(i - 1) % WORDS.length];
    }

    public ObjectNode completion(JsonNode request, String id, long created) {
        int n = outputTokens(request);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(token(i));
        }
        ObjectNode root = base(id, created, "chat.completion");
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text.toString());
        choice.put("finish_reason", finishReason(request));
        root.set("usage", usage(request, n));
        return root;
    }

    public ObjectNode chunk(String id, long created, String content, boolean first, String finishReason) {
        ObjectNode root = base(id, created, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (first) {
            delta.put("role", "assistant");
        }
        if (content != null) {
            delta.put("content", content);
        }
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return root;
    }

    public ObjectNode usageChunk(JsonNode request, String id, long created) {
        ObjectNode root = base(id, created, "chat.completion.chunk");
        root.putArray("choices");
        root.set("usage", usage(request, outputTokens(request)));
        return root;
    }

    /** Tokens per streamed chunk and the delay between chunks, pacing to tokens-per-second. */
    public int tokensPerChunk() {
        return Math.max(1, sim.tokensPerSecond() / 100);
    }

    public long chunkDelayMs() {
        return Math.max(1, Math.round(1000.0 * tokensPerChunk() / sim.tokensPerSecond()));
    }

    private ObjectNode usage(JsonNode request, int completionTokens) {
        ObjectNode usage = JSON.createObjectNode();
        long prompt = promptTokens(request);
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", prompt + completionTokens);
        return usage;
    }

    private ObjectNode base(String id, long created, String object) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", expert.model());
        return root;
    }
}
