package dev.expertrouter.routing.embedding;

/**
 * The prompt carries no text the router can classify (no user or system message with any
 * content). The HTTP layer maps it to a 400 {@code invalid_request_error}.
 */
public final class UnroutablePromptException extends IllegalArgumentException {

    public UnroutablePromptException(String message) {
        super(message);
    }
}
