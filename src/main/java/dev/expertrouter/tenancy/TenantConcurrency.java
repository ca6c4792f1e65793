package dev.expertrouter.tenancy;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests (streams included) each tenant has in flight on this replica, capped by its
 * {@code max-concurrent-requests}: one tenant cannot take every slot of an expert. The cap is read
 * per request, so a reload applies to the next one.
 */
final class TenantConcurrency {

    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /** A release for the slot taken, or empty when the tenant is at its cap. */
    Optional<Runnable> tryEnter(String tenant, int cap) {
        AtomicInteger n = inFlight.computeIfAbsent(tenant, t -> new AtomicInteger());
        while (true) {
            int now = n.get();
            if (now >= cap) {
                return Optional.empty();
            }
            if (n.compareAndSet(now, now + 1)) {
                AtomicInteger counter = n;
                java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
                return Optional.of(() -> {
                    if (once.compareAndSet(false, true)) {
                        counter.decrementAndGet();
                    }
                });
            }
        }
    }

    int inFlight(String tenant) {
        AtomicInteger n = inFlight.get(tenant);
        return n == null ? 0 : n.get();
    }
}
