package dev.expertrouter.outcomes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The newest outcomes of this instance, bounded: feedback that arrives before its outcome reached
 * Redis (it is queued or spooled) still finds it here.
 */
public final class RecentOutcomes {

    private final Map<String, OutcomeRecord> byId;

    public RecentOutcomes(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.byId = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, OutcomeRecord> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void add(OutcomeRecord o) {
        byId.put(o.requestId(), o);
    }

    public synchronized Optional<OutcomeRecord> find(String requestId) {
        return Optional.ofNullable(byId.get(requestId));
    }
}
