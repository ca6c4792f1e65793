package dev.expertrouter.api;

import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.metrics.RoutingMetrics;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertSelector;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import dev.expertrouter.routing.RoutingStage;
import dev.expertrouter.routing.affinity.AffinityRule;
import dev.expertrouter.routing.affinity.ConversationAffinity;
import dev.expertrouter.routing.affinity.TurnClassification;
import dev.expertrouter.routing.serving.EmbeddingPool;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The routing steps shared by chat completions and the {@code /v1/route} dry run: resolve the
 * target and constraints, classify off the event loop, and rank the experts.
 */
@ApplicationScoped
public class RequestRouter {

    private final EmbeddingPool embedding;
    private final ExpertSelector selector;
    private final RoutingMetrics metrics;
    private final ConversationAffinity affinity;

    public RequestRouter(EmbeddingPool embedding, ExpertSelector selector, RoutingMetrics metrics, ConversationAffinity affinity) {
        this.embedding = embedding;
        this.selector = selector;
        this.metrics = metrics;
        this.affinity = affinity;
    }

    /** A classified turn and what is remembered of its conversation. */
    public record ClassifiedTurn(TurnClassification classification, ConversationAffinity.Lookup conversation) {
    }

    public RoutedRequest prepare(RoutingContext ctx, TenantConfig tenant, ChatRequest request, RouterConfig config) {
        String policyHeader = RoutingHeaders.policy(ctx.request().getHeader(RoutingHeaders.POLICY));
        var maxCost = RoutingHeaders.maxCostUsd(ctx.request().getHeader(RoutingHeaders.MAX_COST_USD));
        var maxLatency = RoutingHeaders.maxLatencyMs(ctx.request().getHeader(RoutingHeaders.MAX_LATENCY_MS));
        var session = RoutingHeaders.session(ctx.request().getHeader(RoutingHeaders.SESSION));
        RouteTarget target = RouteTarget.resolve(request.model(), policyHeader, tenant, config);
        return new RoutedRequest(tenant, request, target, maxCost, maxLatency, session);
    }

    /**
     * Classifies the turn on the embedding pool while its conversation is looked up (Redis answers
     * within the embedding's milliseconds, so the lookup adds no wait); emitted on either's thread.
     */
    public Uni<ClassifiedTurn> classifyTurn(RoutedRequest routed) {
        var policy = routed.target().policy();
        boolean forced = routed.target().forcedExpert().isPresent();
        var prompt = routed.request().prompt();
        Uni<TurnClassification> classified = embedding.classifyTurn(prompt,
                ConversationAffinity.turnAlone(prompt, policy, forced, routed.session().isPresent()));
        Uni<ConversationAffinity.Lookup> lookup = Uni.createFrom().completionStage(() ->
                affinity.lookup(routed.tenant().name(), prompt, routed.session(), policy, forced));
        return Uni.combine().all().unis(classified, lookup).asTuple()
                .map(t -> new ClassifiedTurn(t.getItem1(), t.getItem2()));
    }

    /**
     * Ranks the experts and applies conversation affinity. A chat request refuses an empty ranking
     * (see {@link #decide}) and passes its id, so that its answer is remembered; the dry run does
     * neither.
     */
    public AffinityRule.Verdict decideTurn(RoutedRequest routed, ClassifiedTurn turn, RouterConfig config,
            Optional<String> requestId) {
        java.util.function.Function<Classification, RoutingDecision> ranking = requestId.isPresent()
                ? c -> decide(routed, c, config) : c -> rank(routed, c, config);
        TurnClassification c = turn.classification();
        return affinity.apply(turn.conversation(), c.routed(), c.turnAlone(), ranking.apply(c.routed()), ranking,
                requestId);
    }

    /** Classifies off the event loop, on the embedding pool. */
    public Uni<Classification> classify(ChatPrompt prompt) {
        return embedding.classify(prompt);
    }

    /** Ranks the experts; 422 when constraints exclude them all, 503 when all are merely busy or down. */
    public RoutingDecision decide(RoutedRequest routed, Classification classification, RouterConfig config) {
        RoutingDecision decision = rank(routed, classification, config);
        metrics.decided(decision, classification);
        if (decision.eligible().isEmpty()) {
            throw noEligibleExpert(decision);
        }
        return decision;
    }

    /** Ranks without refusing: the dry run shows an empty ranking with its reasons. */
    public RoutingDecision rank(RoutedRequest routed, Classification classification, RouterConfig config) {
        long t0 = System.nanoTime();
        RoutingDecision decision = selector.select(new RoutingRequest(config, routed.tenant(), routed.target().policy(),
                classification, routed.request().prompt().estimatedTokens(), routed.request().maxTokens(),
                routed.maxCostUsd(), routed.maxLatencyMs(), routed.target().forcedExpert(), routed.request().choices()));
        metrics.record(RoutingStage.RANK, System.nanoTime() - t0);
        return decision;
    }

    static ApiException noEligibleExpert(RoutingDecision decision) {
        if (decision.status() == RoutingDecision.Status.UNAVAILABLE) {
            String reasons = decision.candidates().stream().map(c -> c.expert() + ": " + c.reason())
                    .collect(Collectors.joining("; "));
            return ApiException.upstream(503, "expert_unavailable",
                    "Every expert that meets the constraints is busy or unavailable (" + reasons + ")", Optional.of(1));
        }
        if (decision.exceedsEveryContextWindow()) {
            return ApiException.badRequest("context_length_exceeded", "The prompt (with max_tokens) exceeds the context window of "
                    + "every expert this request may use: " + decision.unmet().map(RoutingDecision.ConstraintUnmet::message).orElse(""),
                    "messages");
        }
        RoutingDecision.ConstraintUnmet unmet = decision.unmet().orElseThrow();
        return ApiException.unprocessable("constraint_unmet", unmet.message(), unmet.param());
    }

}
