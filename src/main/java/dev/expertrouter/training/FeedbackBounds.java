package dev.expertrouter.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What one tenant's feedback may teach a retrain, bounded the way the shared estimates bound it
 * ({@link dev.expertrouter.outcomes.FeedbackLearning}): a tenant whose trust is 0, or that is no
 * longer configured, teaches nothing; every other tenant keeps at most {@code maxPerTenant} of its
 * examples, the newest ones; each kept example carries its tenant's trust, which scales its weight.
 * Without it, one tenant with a key could flood the outcome log with corrections to a wrong domain
 * and steer the next candidate, with only the promotion gates in the way.
 *
 * <p>The tenant is the one whose request the outcome was: the only one who may rate it, and the one
 * who chose its prompt (and, forcing an expert, its answer), so jury verdicts on its requests count
 * towards its cap too.
 */
public final class FeedbackBounds {

    /** Every tenant fully trusted, no cap: for tests and tools that feed trusted data. */
    public static final FeedbackBounds UNBOUNDED = new FeedbackBounds(tenant -> OptionalDouble.of(1.0), Integer.MAX_VALUE);

    /** One kept example and the trust of its tenant (0 < trust <= 1). */
    public record Kept<T>(T item, String tenant, double trust) {
    }

    /**
     * The outcome of a selection.
     *
     * @param kept              oldest first, as given
     * @param maxPerTenant      the cap applied
     * @param cappedByTenant    per tenant, how many of its examples were over the cap (the oldest ones)
     * @param untrustedByTenant per tenant whose trust is 0 or that is not configured, how many were ignored
     */
    public record Selection<T>(List<Kept<T>> kept, int maxPerTenant, Map<String, Integer> cappedByTenant,
            Map<String, Integer> untrustedByTenant) {

        public Selection {
            kept = List.copyOf(kept);
            cappedByTenant = Collections.unmodifiableMap(new TreeMap<>(cappedByTenant));
            untrustedByTenant = Collections.unmodifiableMap(new TreeMap<>(untrustedByTenant));
        }

        public int capped() {
            return cappedByTenant.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int untrusted() {
            return untrustedByTenant.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Whether the bounds left anything out (over a cap, or of an untrusted tenant). */
        public boolean leftAnythingOut() {
            return !cappedByTenant.isEmpty() || !untrustedByTenant.isEmpty();
        }

        public List<T> items() {
            return kept.stream().map(Kept::item).toList();
        }

        /**
         * What was left out and whose, for a log line: {@code 480 over the cap of 20 per tenant
         * {mallory=480}; 300 of tenants with trust 0 or not configured {eve=300}}, or {@code none}.
         */
        public String leftOut() {
            List<String> parts = new ArrayList<>();
            if (capped() > 0) {
                parts.add(capped() + " over the cap of " + maxPerTenant + " per tenant " + cappedByTenant);
            }
            if (untrusted() > 0) {
                parts.add(untrusted() + " of tenants with trust 0 or not configured " + untrustedByTenant);
            }
            return parts.isEmpty() ? "none" : String.join("; ", parts);
        }

        /** {@code kept}, {@code capped}, {@code untrusted}, the cap and who was cut, for reports. */
        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("kept", kept.size());
            n.put("capped", capped());
            n.put("untrusted", untrusted());
            if (maxPerTenant != Integer.MAX_VALUE) {
                n.put("maxPerTenant", maxPerTenant);
            }
            n.putPOJO("cappedByTenant", cappedByTenant);
            n.putPOJO("untrustedByTenant", untrustedByTenant);
            return n;
        }
    }

    private final Function<String, OptionalDouble> trustOfTenant;
    private final int maxPerTenant;

    /**
     * @param trustOfTenant a tenant's trust (0..1) from the config in force, empty for an unknown tenant
     * @param maxPerTenant  the most examples one tenant's requests may contribute, >= 1
     */
    public FeedbackBounds(Function<String, OptionalDouble> trustOfTenant, int maxPerTenant) {
        if (maxPerTenant < 1) {
            throw new IllegalArgumentException("the per-tenant cap must be >= 1, got " + maxPerTenant);
        }
        this.trustOfTenant = trustOfTenant;
        this.maxPerTenant = maxPerTenant;
    }

    public int maxPerTenant() {
        return maxPerTenant;
    }

    /**
     * @param oldestFirst candidate examples, oldest first (as the outcome history reads them)
     * @param tenantOf    the tenant whose request an example was
     */
    public <T> Selection<T> select(List<T> oldestFirst, Function<T, String> tenantOf) {
        // one trust per tenant for the whole selection, even if the config reloads meanwhile
        Map<String, OptionalDouble> trust = new HashMap<>();
        Map<String, Integer> keptByTenant = new HashMap<>();
        Map<String, Integer> capped = new HashMap<>();
        Map<String, Integer> untrusted = new HashMap<>();
        List<Kept<T>> newestFirst = new ArrayList<>();
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            T item = oldestFirst.get(i);
            String tenant = String.valueOf(tenantOf.apply(item));
            OptionalDouble t = trust.computeIfAbsent(tenant, this::trustOf);
            if (t.isEmpty() || !(t.getAsDouble() > 0)) {
                untrusted.merge(tenant, 1, Integer::sum);
            } else if (keptByTenant.merge(tenant, 1, Integer::sum) > maxPerTenant) {
                capped.merge(tenant, 1, Integer::sum);
            } else {
                newestFirst.add(new Kept<>(item, tenant, t.getAsDouble()));
            }
        }
        Collections.reverse(newestFirst);
        return new Selection<>(newestFirst, maxPerTenant, capped, untrusted);
    }

    private OptionalDouble trustOf(String tenant) {
        OptionalDouble t = trustOfTenant.apply(tenant);
        return t.isPresent() ? OptionalDouble.of(Math.min(1.0, t.getAsDouble())) : t;
    }
}
