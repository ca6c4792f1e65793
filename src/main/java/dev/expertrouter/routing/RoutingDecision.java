package dev.expertrouter.routing;

import java.util.List;
import java.util.Optional;

/**
 * The policy's answer: every candidate, best first. The request goes to the first eligible one and
 * falls back along the rest in order.
 */
public record RoutingDecision(String policy, List<Candidate> candidates) {

    public RoutingDecision {
        candidates = List.copyOf(candidates);
    }

    public List<Candidate> eligible() {
        return candidates.stream().filter(Candidate::eligible).toList();
    }

    public Optional<Candidate> chosen() {
        return candidates.stream().filter(Candidate::eligible).findFirst();
    }
}
