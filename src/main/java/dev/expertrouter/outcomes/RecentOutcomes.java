package dev.expertrouter.outcomes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The newest outcomes of this instance, bounded, as the index feedback joins
 * ({@link OutcomeStore.OutcomeIndex}): feedback that arrives before its outcome reached Redis (it
 * is queued or spooled) still finds it here. Only the index is kept, not the record: a record
 * carries its prompt's embedding and more, and ten thousand of them, each living a few seconds,
 * were the medium-lived objects a small heap copes with worst (promoted, then dead in the old
 * generation).
 */
public final class RecentOutcomes {

    private final Map<String, OutcomeStore.OutcomeIndex> byId;

    public RecentOutcomes(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.byId = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, OutcomeStore.OutcomeIndex> eldest) {
                return size() > capacity;
            }
        };
    }

    public void add(OutcomeRecord o) {
        OutcomeStore.OutcomeIndex index = OutcomeStore.OutcomeIndex.of(o);
        synchronized (this) {
            byId.put(index.requestId(), index);
        }
    }

    public synchronized Optional<OutcomeStore.OutcomeIndex> find(String requestId) {
        return Optional.ofNullable(byId.get(requestId));
    }
}
