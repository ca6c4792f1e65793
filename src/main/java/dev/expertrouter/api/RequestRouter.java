package dev.expertrouter.api;

import dev.expertrouter.GatewayClock;
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
import dev.expertrouter.routing.TurnClassification;
import dev.expertrouter.routing.serving.EmbeddingPool;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The routing steps shared by chat completions and the {@code /v1/route} dry run: resolve the
 * target and constraints, classify off the event loop, and rank the experts.
 *
 * <p>A chat request is ranked once per classification it is routed on (once, or on a topic change
 * once on the turn's own classification instead), and its decision is counted and, when empty,
 * refused once, by {@link #accept}, whatever ranking led to it.
 */
@ApplicationScoped
public class RequestRouter {

    private final EmbeddingPool embedding;
    private final ExpertSelector selector;
    private final RoutingMetrics metrics;
    private final ConversationAffinity affinity;
    private final GatewayClock clock;

    public RequestRouter(EmbeddingPool embedding, ExpertSelector selector, RoutingMetrics metrics, ConversationAffinity affinity,
            GatewayClock clock) {
        this.embedding = embedding;
        this.selector = selector;
        this.metrics = metrics;
        this.affinity = affinity;
        this.clock = clock;
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
                ConversationAffinity.turnAlone(prompt, policy, forced, routed.session().isPresent()),
                policy.affinity().topicCheck());
        Uni<ConversationAffinity.Lookup> lookup = Uni.createFrom().completionStage(() ->
                affinity.lookup(routed.tenant().name(), prompt, routed.session(), policy, forced));
        return Uni.combine().all().unis(classified, lookup).asTuple()
                .map(t -> new ClassifiedTurn(t.getItem1(), t.getItem2()));
    }

    /**
     * Ranks the experts and applies conversation affinity, without counting or refusing (see
     * {@link #accept}). A chat request passes its id, so that its answer is remembered; the dry run
     * does not.
     */
    public AffinityRule.Verdict decideTurn(RoutedRequest routed, ClassifiedTurn turn, RouterConfig config,
            Optional<String> requestId) {
        TurnClassification c = turn.classification();
        Function<Classification, RoutingDecision> ranking = classification -> rank(routed, classification, config);
        return affinity.apply(turn.conversation(), c.routed(), c.turnAlone(), ranking, requestId);
    }

    /** Classifies off the event loop, on the embedding pool. */
    public Uni<Classification> classify(ChatPrompt prompt) {
        return embedding.classify(prompt);
    }

    /**
     * The decision a chat request is routed on, counted once; 422 when constraints exclude every
     * expert, 503 when all are merely busy or down.
     */
    public RoutingDecision accept(RoutingDecision decision, Classification classification) {
        metrics.decided(decision, classification);
        if (decision.eligible().isEmpty()) {
            throw noEligibleExpert(decision);
        }
        return decision;
    }

    /** Ranks without counting or refusing: the dry run shows an empty ranking with its reasons. */
    public RoutingDecision rank(RoutedRequest routed, Classification classification, RouterConfig config) {
        long t0 = clock.nanoTime();
        RoutingDecision decision = selector.select(new RoutingRequest(config, routed.tenant(), routed.target().policy(),
                classification, routed.request().prompt().estimatedTokens(), routed.request().maxTokens(),
                routed.maxCostUsd(), routed.maxLatencyMs(), routed.target().forcedExpert(), routed.request().choices()));
        metrics.record(RoutingStage.RANK, clock.nanoTime() - t0);
        return decision;
    }

    /**
     * Decides with what is left of the tenant's budget ({@code left}) as a cost ceiling, so a
     * cheaper expert that fits is chosen; when none fits, the decision without it is returned (and
     * the budget reservation refuses it as {@code budget_exceeded}). Only that case decides twice.
     *
     * @param decisionOf the ranking inside what {@code decide} returns
     */
    public static <T> T withinBudget(RoutedRequest routed, OptionalDouble left, Function<RoutedRequest, T> decide,
            Function<T, RoutingDecision> decisionOf) {
        if (left.isEmpty() || (routed.maxCostUsd().isPresent() && routed.maxCostUsd().getAsDouble() <= left.getAsDouble())) {
            return decide.apply(routed);
        }
        T capped = decide.apply(routed.withMaxCostUsd(left.getAsDouble()));
        return constraintUnmet(decisionOf.apply(capped)) ? decide.apply(routed) : capped;
    }

    /**
     * Whether no expert meets the request's constraints (a 422 {@code constraint_unmet}), as opposed
     * to all being busy or down, or the prompt exceeding every context window.
     */
    public static boolean constraintUnmet(RoutingDecision decision) {
        return decision.eligible().isEmpty() && decision.status() != RoutingDecision.Status.UNAVAILABLE
                && !decision.exceedsEveryContextWindow();
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
