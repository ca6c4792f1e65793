package dev.expertrouter.api.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.api.ChatRequest;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.experts.Usage;

/**
 * The body sent upstream and the usage returned: the expert gets the caller's body with its own
 * model name, and streams always ask for usage so cost is known; callers always get a
 * {@code usage} block on whole answers, estimated when the expert sent none.
 */
final class UsageShaping {

    private UsageShaping() {
    }

    /**
     * The caller's body for {@code expert}: unknown fields pass through unchanged. A shallow copy:
     * only the top level and {@code stream_options} are changed, so the messages are shared with
     * the caller's body rather than deep-copied for every attempt.
     */
    static ObjectNode upstreamBody(ChatRequest request, ExpertConfig expert) {
        ObjectNode caller = request.body();
        ObjectNode body = caller.objectNode();
        body.setAll(caller);
        body.put("model", expert.model());
        if (request.stream()) {
            // usage is always asked for upstream so cost is known; it is dropped again for callers who did not ask
            ObjectNode options = caller.get("stream_options") instanceof ObjectNode o ? o.deepCopy() : caller.objectNode();
            options.put("include_usage", true);
            body.set("stream_options", options);
        }
        return body;
    }

    /**
     * The usage of a whole answer, completed into its body when the expert left it out.
     *
     * @return the expert's usage, or the prompt's estimate with no output tokens when it sent none
     */
    static Usage completeUsage(ObjectNode body, Usage reported, long estimatedPromptTokens) {
        Usage usage = reported.isKnown() ? reported : new Usage(estimatedPromptTokens, 0);
        if (!body.has("usage")) {
            ObjectNode u = body.putObject("usage");
            u.put("prompt_tokens", usage.promptTokens());
            u.put("completion_tokens", usage.completionTokens());
            u.put("total_tokens", usage.promptTokens() + usage.completionTokens());
        }
        return usage;
    }

    /** A usage-only chunk (no choices) that the caller did not ask for is not relayed. */
    static boolean isUnrequestedUsageChunk(ObjectNode chunk, boolean callerWantsUsage) {
        return !callerWantsUsage && chunk.has("usage") && chunk.path("choices").isEmpty();
    }
}
