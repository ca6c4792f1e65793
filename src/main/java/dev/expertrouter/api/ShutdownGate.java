package dev.expertrouter.api;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Closes the front door when shutdown begins: new {@code /v1} requests get 503 and readiness goes
 * down, while requests and streams already open run to their end (bounded by
 * {@code quarkus.shutdown.timeout}). Simulated experts stay reachable so open requests can finish.
 */
@ApplicationScoped
public class ShutdownGate {

    private volatile boolean closing;

    void onShutdownStarting(@Observes ShutdownDelayInitiatedEvent event) {
        closing = true;
    }

    public boolean isClosing() {
        return closing;
    }

    /** Opens the gate again. Only tests call it, after driving a drain, so the tests after them see an open gateway. */
    void reopen() {
        closing = false;
    }
}
