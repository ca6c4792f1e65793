package dev.expertrouter.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.experts.ExpertEndpoints;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Simulated experts that say what a test tells them to: a test bean in front of {@code /sim/*}
 * that answers a request whose id it was given a script for with that script's text for the called
 * expert (usage: {@link #PROMPT_TOKENS} in, {@link #COMPLETION_TOKENS} out), and passes every other
 * call on to the simulated experts unchanged. Each id's calls are kept, in order.
 */
@ApplicationScoped
public class ScriptedExperts {

    public static final int PROMPT_TOKENS = 100;
    public static final int COMPLETION_TOKENS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<String, String>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<String>> called = new ConcurrentHashMap<>();

    void register(@Observes Router router) {
        router.post(ExpertEndpoints.SIMULATED_PREFIX + ":expert/v1/chat/completions").order(-20).handler(this::answer);
    }

    /** For requests with id {@code requestId}, each expert named answers with its text. */
    public void script(String requestId, Map<String, String> answerByExpert) {
        scripts.put(requestId, Map.copyOf(answerByExpert));
    }

    /** The experts called for {@code requestId}, in order. */
    public List<String> called(String requestId) {
        return List.copyOf(called.getOrDefault(requestId, List.of()));
    }

    private void answer(RoutingContext ctx) {
        String id = ctx.request().getHeader("x-request-id");
        Map<String, String> script = id == null ? null : scripts.get(id);
        String expert = ctx.pathParam("expert");
        if (script == null || !script.containsKey(expert)) {
            ctx.next();
            return;
        }
        called.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(expert);
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-" + id + "-" + expert);
        root.put("object", "chat.completion");
        root.put("created", 1_700_000_000L);
        root.put("model", expert);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", script.get(expert));
        choice.put("finish_reason", "stop");
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", PROMPT_TOKENS);
        usage.put("completion_tokens", COMPLETION_TOKENS);
        usage.put("total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
        ctx.response().putHeader("content-type", "application/json").end(root.toString());
    }
}
