package dev.expertrouter.routing.affinity;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where conversations' remembered choices live. Neither method may block its caller: both run on
 * the request's event loop.
 */
public interface AffinityStore {

    /** The conversation's remembered choice, or empty when it is unknown or expired. Never fails. */
    CompletionStage<Optional<RememberedChoice>> find(String key);

    /** Remembers (or refreshes) the conversation's choice for {@code ttl}. Fire and forget. */
    void remember(String key, RememberedChoice choice, Duration ttl);
}
