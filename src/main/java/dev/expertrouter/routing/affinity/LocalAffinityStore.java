package dev.expertrouter.routing.affinity;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * This replica's memory of conversations: a bounded LRU with per-entry expiry. It serves alone in a
 * single-replica set-up and stands in for Redis while Redis is away; the bound keeps a flood of
 * one-off conversations from growing the heap (at 100,000 entries, about 20 MB).
 */
public final class LocalAffinityStore implements AffinityStore {

    public static final int DEFAULT_CAPACITY = 100_000;

    private record Entry(RememberedChoice choice, long expiresAtNanos) {
    }

    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries;

    public LocalAffinityStore(int capacity, LongSupplier nanoTime) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public CompletionStage<Optional<RememberedChoice>> find(String key) {
        return CompletableFuture.completedFuture(get(key));
    }

    /** The same as {@link #find}, without the future. */
    public synchronized Optional<RememberedChoice> get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - e.expiresAtNanos() >= 0) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.choice());
    }

    @Override
    public synchronized void remember(String key, RememberedChoice choice, Duration ttl) {
        entries.put(key, new Entry(choice, nanoTime.getAsLong() + ttl.toNanos()));
    }

    synchronized int size() {
        return entries.size();
    }
}
