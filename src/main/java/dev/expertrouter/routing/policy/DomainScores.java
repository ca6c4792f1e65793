package dev.expertrouter.routing.policy;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The router's domain probabilities, normalised to sum to 1 (a classifier's rounding must not
 * inflate or deflate expected quality). Empty when no router model has decided.
 */
record DomainScores(Map<String, Double> probabilities) {

    static DomainScores of(Map<String, Double> raw) {
        double sum = raw.values().stream().mapToDouble(v -> Math.max(0, v)).sum();
        Map<String, Double> p = new LinkedHashMap<>();
        if (sum > 0) {
            raw.entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> p.put(e.getKey(), e.getValue() / sum));
        }
        return new DomainScores(Collections.unmodifiableMap(p));
    }

    boolean isEmpty() {
        return probabilities.isEmpty();
    }

    double p(String domain) {
        return probabilities.getOrDefault(domain, 0.0);
    }

    /** The k most probable domains, most probable first, ties by name. */
    List<String> top(int k) {
        return probabilities.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .map(Map.Entry::getKey)
                .toList();
    }
}
