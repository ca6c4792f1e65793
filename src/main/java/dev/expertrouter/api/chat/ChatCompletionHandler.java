package dev.expertrouter.api.chat;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.api.ApiErrors;
import dev.expertrouter.api.ApiException;
import dev.expertrouter.api.AuthenticatedRoute;
import dev.expertrouter.api.ChatRequestParser;
import dev.expertrouter.api.RequestIds;
import dev.expertrouter.api.RequestRouter;
import dev.expertrouter.api.RoutedRequest;
import dev.expertrouter.api.RoutingHeaders;
import dev.expertrouter.api.UpstreamErrors;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.experts.Deadline;
import dev.expertrouter.experts.ExpertCallException;
import dev.expertrouter.experts.ExpertInvoker;
import dev.expertrouter.experts.ExpertReply;
import dev.expertrouter.experts.ExpertStream;
import dev.expertrouter.experts.Usage;
import dev.expertrouter.metrics.GatewayMetrics;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.Outcomes;
import dev.expertrouter.routing.affinity.AffinityOutcome;
import dev.expertrouter.routing.affinity.AffinityRule;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.quality.VerifyThenEscalate;
import dev.expertrouter.routing.serving.RecordClassification;
import dev.expertrouter.routing.serving.ServingVerifiers;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import dev.expertrouter.tenancy.TenantLimiter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code POST /v1/chat/completions}, the intake: authenticate, validate, classify (off the event
 * loop), rank the experts, then hand the ranking to a {@link FallbackChain} whose answer is sent
 * whole or relayed by {@link SseRelay}. Every request ends in {@link ChatExchange#finish}, which
 * writes one access-log line and yields the outcome for {@link Outcomes}. All request state
 * changes happen on the request's event loop.
 */
@ApplicationScoped
public class ChatCompletionHandler {

    private final ConfigHolder config;
    private final RequestRouter router;
    private final ExpertInvoker invoker;
    private final Outcomes outcomes;
    private final GatewayMetrics metrics;
    private final RouterSettings settings;
    private final Vertx vertx;
    private final GatewayClock clock;
    private final TenantLimiter limiter;
    private final RecordClassification forRecord;
    private final ServingVerifiers verifiers;

    public ChatCompletionHandler(ConfigHolder config, RequestRouter router, ExpertInvoker invoker, Outcomes outcomes,
            GatewayMetrics metrics, RouterSettings settings, Vertx vertx, GatewayClock clock, TenantLimiter limiter,
            RecordClassification forRecord, ServingVerifiers verifiers) {
        this.limiter = limiter;
        this.verifiers = verifiers;
        this.forRecord = forRecord;
        this.config = config;
        this.router = router;
        this.invoker = invoker;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.settings = settings;
        this.vertx = vertx;
        this.clock = clock;
    }

    public void handle(RoutingContext ctx) {
        ChatExchange x = new ChatExchange(RequestIds.accept(ctx.request().getHeader(RoutingHeaders.REQUEST_ID)), ctx.response(), clock);
        x.response.putHeader(RoutingHeaders.REQUEST_ID, x.requestId);
        x.response.closeHandler(v -> {
            if (!x.isFinished()) {
                x.cancelUpstream();
                finish(x, 499, "client_closed_request", 0, Usage.NONE);
            }
        });
        AuthenticatedRoute.run(ctx, config, (c, tenant, cfg) -> intake(c, x, tenant, cfg), e -> fail(x, e, 0));
    }

    private void intake(RoutingContext ctx, ChatExchange x, TenantConfig tenant, RouterConfig cfg) {
        x.tenant = tenant;
        x.request = ChatRequestParser.parse(ChatRequestParser.bodyOf(ctx));
        RoutedRequest routed = router.prepare(ctx, tenant, x.request, cfg);
        x.policy = routed.target().policy().name();
        x.forced = routed.target().forcedExpert().isPresent();
        Context context = vertx.getOrCreateContext();
        Executor onContext = r -> context.runOnContext(v -> r.run());
        x.onContext = onContext;
        // the tenant's limits before any CPU goes into embedding: a limited tenant's flood stops here
        limiter.admit(tenant, x.request.prompt().estimatedTokens())
                .emitOn(onContext)
                .subscribe().with(admission -> {
                    if (x.isFinished()) {
                        limiter.settle(admission, 0, 0);
                        return;
                    }
                    x.admission = admission;
                    admission.headers().forEach(x.response::putHeader);
                    classify(x, routed, cfg, onContext);
                }, failure -> fail(x, failure, 0));
    }

    private void classify(ChatExchange x, RoutedRequest routed, RouterConfig cfg, Executor onContext) {
        if (x.forced) {
            // The caller named the expert: nothing to decide, so no embedding before the answer.
            // The prompt is classified for the record after the answer (see finish).
            try {
                x.classification = forRecord.notYetClassified();
                RoutingDecision decision = withinBudget(x, routed, r -> router.rank(r, x.classification, cfg), d -> d);
                reserveAndStart(x, routed, router.accept(decision, x.classification), cfg, onContext);
            } catch (RuntimeException e) {
                fail(x, e, 0);
            }
            return;
        }
        router.classifyTurn(routed)
                .emitOn(onContext)
                .subscribe().with(turn -> {
                    try {
                        dispatch(x, routed, turn, cfg, onContext);
                    } catch (RuntimeException e) {
                        fail(x, e, 0);
                    }
                }, failure -> fail(x, failure, 0));
    }

    /**
     * Ranks the experts (keeping a conversation with its expert, within what is left of the
     * tenant's budget), reserves the chosen expert's estimate, and starts the fallback chain.
     */
    private void dispatch(ChatExchange x, RoutedRequest routed, RequestRouter.ClassifiedTurn turn, RouterConfig cfg, Executor onContext) {
        x.classification = turn.classification().routed();
        Optional<String> requestId = Optional.of(x.requestId);
        AffinityRule.Verdict verdict = withinBudget(x, routed, r -> router.decideTurn(r, turn, cfg, requestId),
                AffinityRule.Verdict::decision);
        x.classification = verdict.classification();
        x.affinity = verdict.outcome().map(AffinityOutcome::wireName).orElse(null);
        reserveAndStart(x, routed, router.accept(verdict.decision(), verdict.classification()), cfg, onContext);
    }

    /** Reserves the chosen expert's estimate in the tenant's budget, then starts the fallback chain. */
    private void reserveAndStart(ChatExchange x, RoutedRequest routed, RoutingDecision decision, RouterConfig cfg, Executor onContext) {
        x.decision = decision;
        x.config = cfg;
        // the chosen expert's estimate is charged to the budget now, and corrected by the real cost at the end
        limiter.reserve(x.admission, decision.eligible().get(0).estCostUsd())
                .emitOn(onContext)
                .subscribe().with(v -> {
                    if (!x.isFinished()) {
                        start(x, routed, decision, cfg, onContext);
                    }
                }, failure -> fail(x, failure, 0));
    }

    private <T> T withinBudget(ChatExchange x, RoutedRequest routed, Function<RoutedRequest, T> decide,
            Function<T, RoutingDecision> decisionOf) {
        return RequestRouter.withinBudget(routed, x.admission.remainingBudgetUsd(), decide, decisionOf);
    }

    /** Starts the fallback chain down the decision's eligible experts: a whole answer, or a relayed stream. */
    private void start(ChatExchange x, RoutedRequest routed, RoutingDecision decision, RouterConfig cfg, Executor onContext) {
        List<ExpertConfig> ranked = decision.eligibleExperts(cfg);
        Deadline deadline = new Deadline(clock::nanoTime, deadline(routed));
        if (x.request.stream()) {
            start(x, ranked, deadline, onContext,
                    expert -> invoker.openStream(expert, UsageShaping.upstreamBody(x.request, expert), x.requestId, deadline),
                    stream -> relay(x, stream));
        } else {
            Optional<VerifyThenEscalate> cascade = VerifyThenEscalate.plan(routed.target().policy().verification(),
                    x.forced, false, ranked, verifiers::forExpert);
            start(x, cascade.map(VerifyThenEscalate::ranked).orElse(ranked), deadline, onContext,
                    expert -> invoker.complete(expert, UsageShaping.upstreamBody(x.request, expert), x.requestId, deadline),
                    cascade.<FallbackChain.Acceptance<ExpertReply>>map(c -> (expert, reply) -> verify(x, c, expert, reply))
                            .orElse((expert, reply) -> true),
                    reply -> answer(x, reply));
        }
    }

    /**
     * The draft's answer judged: kept with its checks when the verifier accepts it; when it does
     * not, paid for (its cost and tokens join the request's) and escalated by the chain.
     */
    private boolean verify(ChatExchange x, VerifyThenEscalate cascade, ExpertConfig expert, ExpertReply reply) {
        if (!expert.id().equals(cascade.draft())) {
            return true;
        }
        VerifyThenEscalate.Verdict verdict = cascade.judge(x.request.prompt(), reply.body());
        x.verifierVerdict = verdict.accepted() ? "accepted" : "rejected";
        if (verdict.accepted()) {
            x.answerChecks = verdict.checks(); // the answer sent: its checks go into the record
        } else {
            Usage usage = UsageShaping.completeUsage(reply.body(), reply.usage(), x.request.prompt().estimatedTokens());
            x.rejectedCostUsd += expert.price().costUsd(usage.promptTokens(), usage.completionTokens());
            x.rejectedTokens += usage.promptTokens() + usage.completionTokens();
        }
        return verdict.accepted();
    }

    private <T> void start(ChatExchange x, List<ExpertConfig> ranked, Deadline deadline, Executor onContext,
            FallbackChain.Attempt<T> attempt, Consumer<T> onAnswer) {
        start(x, ranked, deadline, onContext, attempt, (expert, answer) -> true, onAnswer);
    }

    private <T> void start(ChatExchange x, List<ExpertConfig> ranked, Deadline deadline, Executor onContext,
            FallbackChain.Attempt<T> attempt, FallbackChain.Acceptance<T> acceptance, Consumer<T> onAnswer) {
        FallbackChain<T> chain = new FallbackChain<>(ranked, deadline, onContext, attempt, acceptance, new FallbackChain.Listener<>() {
            @Override
            public void onAttempt(ExpertConfig expert) {
                x.attempting(expert);
            }

            @Override
            public void onAnswer(ExpertConfig expert, T answer) {
                onAnswer.accept(answer);
            }

            @Override
            public void onExhausted(ExpertConfig lastExpert, Throwable failure) {
                fail(x, failure, failure instanceof ExpertCallException e ? e.status() : 0);
            }
        });
        x.chain = chain;
        chain.start();
    }

    /** The request's deadline: the gateway's, capped by the caller's {@code x-router-max-latency-ms}. */
    private Duration deadline(RoutedRequest routed) {
        Duration budget = settings.requestDeadline();
        if (routed.maxLatencyMs().isPresent() && routed.maxLatencyMs().getAsLong() < budget.toMillis()) {
            return Duration.ofMillis(routed.maxLatencyMs().getAsLong());
        }
        return budget;
    }

    private void answer(ChatExchange x, ExpertReply reply) {
        if (x.isFinished()) {
            return;
        }
        boolean unchanged = reply.raw() != null && reply.body().has("usage");
        Usage usage = UsageShaping.completeUsage(reply.body(), reply.usage(), x.request.prompt().estimatedTokens());
        if (x.answerChecks == null && x.tenant.learning().trust() > 0 && x.config.isVerifyDraft(x.expert.id())) {
            // what the draft's answer verifier learns from, for a tenant whose outcomes are learned from;
            // no other expert's answers pay for the checks (a dense 16 KB answer takes about 2 ms)
            x.answerChecks = VerifyThenEscalate.checks(x.request.prompt(), reply.body());
        }
        x.writeRoutingHeaders();
        // recorded before the answer leaves, so feedback on it can never arrive first
        finish(x, 200, null, 200, usage);
        // an answer that already carries its usage goes on as the expert sent it: no second serialisation
        x.response.putHeader("content-type", "application/json").setStatusCode(200);
        if (unchanged) {
            x.response.end(reply.raw());
        } else {
            x.response.end(reply.body().toString());
        }
    }

    private void relay(ChatExchange x, ExpertStream stream) {
        if (x.isFinished()) {
            stream.cancel();
            return;
        }
        x.cancelStream = stream::cancel;
        x.relaying = true;
        x.writeRoutingHeaders();
        metrics.timeToFirstToken(x.expert.id(), Duration.ofMillis(x.elapsedMs()));
        SseRelay.relay(x.requestId, stream, x.response, x.request.includeUsage(),
                (status, errorCode, usage) -> finish(x, status, errorCode, 200, usage));
    }

    private void fail(ChatExchange x, Throwable failure, int upstreamStatus) {
        if (x.isFinished()) {
            return;
        }
        ApiException e = failure instanceof ExpertCallException call ? UpstreamErrors.toApi(call) : ApiErrors.toApi(failure);
        if (x.expert != null && x.decision != null) {
            x.writeRoutingHeaders();
        }
        finish(x, e.status(), e.code(), upstreamStatus, Usage.NONE);
        ApiErrors.write(x.response, e);
    }

    private void finish(ChatExchange x, int status, String errorCode, int upstreamStatus, Usage usage) {
        OutcomeRecord outcome = x.finish(status, errorCode, upstreamStatus, usage);
        if (outcome == null) {
            return;
        }
        if (x.admission != null) {
            boolean charged = outcome.succeeded() || outcome.costEstimated();
            long tokens = (charged ? outcome.promptTokens() + outcome.completionTokens() : 0) + x.rejectedTokens;
            limiter.settle(x.admission, tokens, outcome.costUsd());
        }
        if (!x.forced || x.onContext == null) {
            outcomes.record(outcome);
            return;
        }
        // A forced request's outcome waits for its classification "for the record", made after the
        // answer on the low-priority queue; when that queue is full it is recorded without one.
        Executor onContext = x.onContext;
        outcomes.awaiting(outcome); // recorded before the answer leaves, so feedback can never arrive first
        boolean queued = forRecord.submit(x.request.prompt(), c -> onContext.execute(() -> outcomes.record(c == null ? outcome
                : outcome.withClassification(c.routerVersion(), c.domain(), c.confidence(), c.scores(), c.embedding(),
                        c.embedderId()))));
        if (!queued) {
            outcomes.record(outcome);
        }
    }
}
