package dev.expertrouter.routing;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.RouterConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The pre-policy-engine selector: the policy's default expert first (else the highest mean quality),
 * then every other expert by mean quality, so fallback has somewhere to go.
 */
public final class DefaultExpertSelector implements ExpertSelector {

    static final int DEFAULT_OUTPUT_TOKENS = 256;

    private final ExpertAvailability availability;

    public DefaultExpertSelector(ExpertAvailability availability) {
        this.availability = availability;
    }

    @Override
    public RoutingDecision select(RoutingRequest request) {
        RouterConfig config = request.config();
        Optional<String> first = request.forcedExpert().or(() -> request.policy().defaultExpert());
        List<ExpertConfig> ordered = new ArrayList<>(config.experts());
        ordered.sort(Comparator.comparing((ExpertConfig e) -> !first.map(e.id()::equals).orElse(false))
                .thenComparing(Comparator.comparingDouble(ExpertConfig::meanQuality).reversed())
                .thenComparing(ExpertConfig::id));
        List<Candidate> candidates = new ArrayList<>();
        for (ExpertConfig e : ordered) {
            if (request.forcedExpert().isPresent() && !request.forcedExpert().get().equals(e.id())) {
                continue;
            }
            int outputTokens = request.maxTokens().orElse(DEFAULT_OUTPUT_TOKENS);
            double quality = request.classification().isUnknown()
                    ? e.meanQuality()
                    : e.qualityFor(request.classification().domain());
            Optional<String> reason = !request.tenant().mayUseExpert(e.id())
                    ? Optional.of("not allowed for tenant")
                    : availability.unavailableReason(e.id());
            candidates.add(new Candidate(e.id(), quality, quality,
                    e.price().costUsd(request.inputTokens(), outputTokens), e.latencyMs(),
                    reason.isEmpty(), reason.orElse(null)));
        }
        return new RoutingDecision(request.policy().name(), candidates);
    }
}
