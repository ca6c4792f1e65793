package dev.expertrouter.api;

import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.metrics.RoutingMetrics;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertSelector;
import dev.expertrouter.routing.PromptClassifier;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import dev.expertrouter.routing.RoutingStage;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The routing steps shared by chat completions and the {@code /v1/route} dry run: resolve the
 * target and constraints, classify off the event loop, and rank the experts.
 */
@Startup // builds the embedding pool at start-up, so a bad router.embedding-threads stops the start
@ApplicationScoped
public class RequestRouter {

    private final PromptClassifier classifier;
    private final ExpertSelector selector;
    private final WorkerExecutor embedding;
    private final RoutingMetrics metrics;

    public RequestRouter(PromptClassifier classifier, ExpertSelector selector, Vertx vertx, RouterSettings settings,
            RoutingMetrics metrics) {
        this.classifier = classifier;
        this.selector = selector;
        this.metrics = metrics;
        // A pool of its own, sized for the cores: the shared worker pool (20 threads) would run up
        // to 20 embeddings at once on 2 cores, lengthening each one's tail, and leave other
        // blocking work waiting behind them.
        this.embedding = vertx.createSharedWorkerExecutor("router-embedding",
                embeddingThreads(settings.embeddingThreads(), Runtime.getRuntime().availableProcessors()));
    }

    /**
     * The embedding pool's size: {@code router.embedding-threads} when set, else one per core.
     *
     * @throws IllegalArgumentException when the setting is below 1
     */
    static int embeddingThreads(Optional<Integer> configured, int cores) {
        if (configured.isPresent() && configured.get() < 1) {
            throw new IllegalArgumentException("router.embedding-threads must be >= 1, was " + configured.get());
        }
        return configured.orElse(cores);
    }

    @PreDestroy
    void close() {
        embedding.close();
    }

    public RoutedRequest prepare(RoutingContext ctx, TenantConfig tenant, ChatRequest request, RouterConfig config) {
        String policyHeader = RoutingHeaders.policy(ctx.request().getHeader(RoutingHeaders.POLICY));
        var maxCost = RoutingHeaders.maxCostUsd(ctx.request().getHeader(RoutingHeaders.MAX_COST_USD));
        var maxLatency = RoutingHeaders.maxLatencyMs(ctx.request().getHeader(RoutingHeaders.MAX_LATENCY_MS));
        RouteTarget target = RouteTarget.resolve(request.model(), policyHeader, tenant, config);
        return new RoutedRequest(tenant, request, target, maxCost, maxLatency);
    }

    /**
     * Embedding costs milliseconds of CPU: it runs on the embedding pool (one thread per core),
     * never on the event loop.
     */
    public Uni<Classification> classify(ChatPrompt prompt) {
        return Uni.createFrom().completionStage(() -> embedding.<Classification>executeBlocking(
                () -> classifier.classify(prompt), false).toCompletionStage());
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
                routed.maxCostUsd(), routed.maxLatencyMs(), routed.target().forcedExpert()));
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
        RoutingDecision.ConstraintUnmet unmet = decision.unmet().orElseThrow();
        return ApiException.unprocessable("constraint_unmet", unmet.message(), unmet.param());
    }

}
