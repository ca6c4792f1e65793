package dev.expertrouter.experts;

import com.fasterxml.jackson.databind.JsonNode;

/** Token counts as an expert reported them ({@code usage}), or zero when it reported none. */
public record Usage(long promptTokens, long completionTokens) {

    public static final Usage NONE = new Usage(0, 0);

    public static Usage from(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return NONE;
        }
        return new Usage(Math.max(0, usage.path("prompt_tokens").asLong(0)), Math.max(0, usage.path("completion_tokens").asLong(0)));
    }

    public boolean isKnown() {
        return promptTokens > 0 || completionTokens > 0;
    }
}
