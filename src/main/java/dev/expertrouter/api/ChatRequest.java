package dev.expertrouter.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.routing.ChatPrompt;
import java.util.OptionalInt;

/**
 * A validated Chat Completions request. {@code body} is the caller's JSON as sent, so fields the
 * gateway does not know ({@code tools}, {@code response_format}, ...) reach the expert unchanged.
 *
 * @param body         the request body
 * @param model        {@code auto}, a policy name or an expert id
 * @param stream       whether the caller asked for Server-Sent Events
 * @param includeUsage {@code stream_options.include_usage}
 * @param maxTokens    the larger of {@code max_completion_tokens} and {@code max_tokens}, when either is set
 * @param prompt       the conversation's text, for the router
 * @param choices      {@code n}: answers asked for, 1 when unset
 */
public record ChatRequest(
        ObjectNode body,
        String model,
        boolean stream,
        boolean includeUsage,
        OptionalInt maxTokens,
        ChatPrompt prompt,
        int choices) {

    /** One answer ({@code n} unset). */
    public ChatRequest(ObjectNode body, String model, boolean stream, boolean includeUsage, OptionalInt maxTokens, ChatPrompt prompt) {
        this(body, model, stream, includeUsage, maxTokens, prompt, 1);
    }
}
