package dev.expertrouter.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.experts.Deadline;
import dev.expertrouter.experts.ExpertCallException;
import dev.expertrouter.experts.ExpertInvoker;
import dev.expertrouter.experts.ExpertReply;
import dev.expertrouter.experts.ExpertStream;
import dev.expertrouter.experts.Usage;
import dev.expertrouter.metrics.GatewayMetrics;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.OutcomeSink;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.policy.ExpertStats;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/chat/completions}: authenticate, validate, classify (on a worker thread), rank
 * experts, call the best one and fall back along the ranking, answer whole or streamed, and record
 * the outcome. All request state changes happen on the request's event loop.
 */
@ApplicationScoped
public class ChatCompletionHandler {

    private static final Logger LOG = Logger.getLogger(ChatCompletionHandler.class);

    private final ConfigHolder config;
    private final RequestRouter router;
    private final ExpertInvoker invoker;
    private final OutcomeSink outcomes;
    private final GatewayMetrics metrics;
    private final RouterSettings settings;
    private final Vertx vertx;
    private final ExpertStats stats;

    public ChatCompletionHandler(ConfigHolder config, RequestRouter router, ExpertInvoker invoker, OutcomeSink outcomes,
            GatewayMetrics metrics, RouterSettings settings, Vertx vertx, ExpertStats stats) {
        this.stats = stats;
        this.config = config;
        this.router = router;
        this.invoker = invoker;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.settings = settings;
        this.vertx = vertx;
    }

    public void handle(RoutingContext ctx) {
        ChatExchange x = new ChatExchange(RequestIds.accept(ctx.request().getHeader(RoutingHeaders.REQUEST_ID)), ctx.response());
        x.response.putHeader(RoutingHeaders.REQUEST_ID, x.requestId);
        Context context = vertx.getOrCreateContext();
        Executor onContext = r -> context.runOnContext(v -> r.run());
        x.response.closeHandler(v -> {
            if (!x.isFinished()) {
                x.cancelUpstream.run();
                finish(x, 499, "client_closed_request", 0, Usage.NONE);
            }
        });
        RouterConfig cfg = config.current();
        RoutedRequest routed;
        try {
            x.tenant = TenantAuthenticator.authenticate(ctx.request().getHeader("authorization"), cfg);
            x.request = ChatRequestParser.parse(ChatRequestParser.bodyOf(ctx));
            routed = router.prepare(ctx, x.tenant, x.request, cfg);
            x.policy = routed.target().policy().name();
            x.forced = routed.target().forcedExpert().isPresent();
        } catch (RuntimeException e) {
            fail(x, e, 0);
            return;
        }
        router.classify(x.request.prompt())
                .emitOn(onContext)
                .subscribe().with(classification -> {
                    try {
                        route(x, routed, classification, cfg, onContext);
                    } catch (RuntimeException e) {
                        fail(x, e, 0);
                    }
                }, failure -> fail(x, failure, 0));
    }

    private void route(ChatExchange x, RoutedRequest routed, Classification classification, RouterConfig cfg, Executor onContext) {
        x.classification = classification;
        RoutingDecision decision = router.decide(routed, classification, cfg);
        x.decision = decision;
        List<Candidate> eligible = decision.eligible();
        Duration budget = settings.requestDeadline();
        OptionalLong maxLatency = routed.maxLatencyMs();
        if (maxLatency.isPresent() && maxLatency.getAsLong() < budget.toMillis()) {
            budget = Duration.ofMillis(maxLatency.getAsLong());
        }
        Deadline deadline = new Deadline(System::nanoTime, budget);
        if (x.request.stream()) {
            attempt(x, new FallbackChain(eligible, deadline, cfg, onContext), 0, invoker::openStream, stream -> relay(x, stream));
        } else {
            attempt(x, new FallbackChain(eligible, deadline, cfg, onContext), 0, invoker::complete, reply -> answer(x, reply));
        }
    }

    /** The ranked experts of one request and what their attempts share. */
    private record FallbackChain(List<Candidate> eligible, Deadline deadline, RouterConfig cfg, Executor onContext) {
    }

    /** How one attempt reaches an expert: a whole answer or the start of a stream. */
    private interface ExpertCall<T> {
        Uni<T> call(ExpertConfig expert, ObjectNode body, String requestId, Deadline deadline);
    }

    /** Calls the expert at {@code index}; on a failure that allows it, moves down the ranking. */
    private <T> void attempt(ChatExchange x, FallbackChain chain, int index, ExpertCall<T> call, java.util.function.Consumer<T> onAnswer) {
        ExpertConfig expert = chain.cfg().expert(chain.eligible().get(index).expert()).orElseThrow();
        x.expert = expert;
        x.attemptStartNanos = System.nanoTime();
        Cancellable pending = call.call(expert, upstreamBody(x.request, expert), x.requestId, chain.deadline())
                .emitOn(chain.onContext())
                .subscribe().with(onAnswer, failure -> {
                    if (shouldFallBack(x, failure, chain.eligible(), index, chain.deadline())) {
                        attempt(x, chain, index + 1, call, onAnswer);
                    } else {
                        fail(x, failure, upstreamStatus(failure));
                    }
                });
        x.cancelUpstream = pending::cancel;
    }

    /** Next-ranked expert, unless the expert judged the request itself bad or time ran out. */
    private boolean shouldFallBack(ChatExchange x, Throwable failure, List<Candidate> eligible, int index, Deadline deadline) {
        if (x.isFinished()) {
            return false;
        }
        if (failure instanceof ExpertCallException e) {
            if (e.isClientError() || index + 1 >= eligible.size() || deadline.isExpired()) {
                return false;
            }
            x.fallbacks.add(new OutcomeRecord.Fallback(e.expert(), e.code() + (e.status() > 0 ? "_" + e.status() : "")));
            LOG.debugf("request %s: expert %s failed (%s), falling back to %s", x.requestId, e.expert(), e.getMessage(), eligible.get(index + 1).expert());
            return true;
        }
        return false;
    }

    private void answer(ChatExchange x, ExpertReply reply) {
        if (x.isFinished()) {
            return;
        }
        ObjectNode body = reply.body();
        Usage usage = reply.usage();
        if (!usage.isKnown()) {
            usage = new Usage(x.request.prompt().estimatedTokens(), 0);
        }
        if (!body.has("usage")) {
            ObjectNode u = body.putObject("usage");
            u.put("prompt_tokens", usage.promptTokens());
            u.put("completion_tokens", usage.completionTokens());
            u.put("total_tokens", usage.promptTokens() + usage.completionTokens());
        }
        routingHeaders(x);
        learn(x, usage);
        // recorded before the answer leaves, so feedback on it can never arrive first
        finish(x, 200, null, 200, usage);
        x.response.putHeader("content-type", "application/json").setStatusCode(200).end(body.toString());
    }

    private void relay(ChatExchange x, ExpertStream stream) {
        if (x.isFinished()) {
            stream.cancel();
            return;
        }
        x.cancelUpstream = stream::cancel;
        HttpServerResponse response = x.response;
        routingHeaders(x);
        response.setStatusCode(200).setChunked(true)
                .putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        metrics.timeToFirstToken(x.expert.id(), Duration.ofMillis(x.elapsedMs()));
        boolean callerWantsUsage = x.request.includeUsage();
        stream.start(new ExpertStream.Listener() {
            @Override
            public void onChunk(ObjectNode chunk, String raw) {
                if (!callerWantsUsage && chunk.has("usage") && chunk.path("choices").isEmpty()) {
                    return;
                }
                response.write("data: " + raw + "\n\n");
                if (response.writeQueueFull()) {
                    stream.pause();
                    response.drainHandler(v -> stream.resume());
                }
            }

            @Override
            public void onDone(Usage usage) {
                learn(x, usage);
                finish(x, 200, null, 200, usage);
                response.end("data: [DONE]\n\n");
            }

            @Override
            public void onError(ExpertCallException failure) {
                LOG.warnf("request %s: stream from %s broke after the first chunk: %s", x.requestId, failure.expert(), failure.getMessage());
                ApiException error = ApiException.upstream(502, ExpertCallException.STREAM_INTERRUPTED,
                        "The expert's stream was interrupted: " + failure.getMessage(), Optional.empty());
                finish(x, 502, ExpertCallException.STREAM_INTERRUPTED, 200, Usage.NONE);
                response.end("data: " + ApiErrors.body(error) + "\n\n");
            }
        });
    }

    /** What a good answer teaches the policy engine: this expert's latency and answer length. */
    private void learn(ChatExchange x, Usage usage) {
        stats.recordLatency(x.expert.id(), x.attemptMs());
        if (!x.classification.isUnknown() && usage.completionTokens() > 0) {
            stats.recordOutputTokens(x.expert.id(), x.classification.domain(), usage.completionTokens());
        }
    }

    private void routingHeaders(ChatExchange x) {
        HttpServerResponse r = x.response;
        r.putHeader(RoutingHeaders.EXPERT, x.expert.id());
        r.putHeader(RoutingHeaders.DOMAIN, x.classification.domain());
        r.putHeader(RoutingHeaders.CONFIDENCE, String.format(java.util.Locale.ROOT, "%.4f", x.classification.confidence()));
        r.putHeader(RoutingHeaders.POLICY, x.policy);
        r.putHeader(RoutingHeaders.VERSION, x.classification.routerVersion());
        r.putHeader(RoutingHeaders.FALLBACKS, Integer.toString(x.fallbacks.size()));
    }

    private static ObjectNode upstreamBody(ChatRequest request, ExpertConfig expert) {
        ObjectNode body = request.body().deepCopy();
        body.put("model", expert.model());
        if (request.stream()) {
            // usage is always asked for upstream so cost is known; it is dropped again for callers who did not ask
            ObjectNode options = body.has("stream_options") && body.get("stream_options").isObject()
                    ? (ObjectNode) body.get("stream_options") : body.putObject("stream_options");
            options.put("include_usage", true);
        }
        return body;
    }

    private void fail(ChatExchange x, Throwable failure, int upstreamStatus) {
        if (x.isFinished()) {
            return;
        }
        ApiException e = failure instanceof ExpertCallException call ? UpstreamErrors.toApi(call) : ApiErrors.toApi(failure);
        if (x.expert != null && x.decision != null) {
            routingHeaders(x);
        }
        finish(x, e.status(), e.code(), upstreamStatus, Usage.NONE);
        ApiErrors.write(x.response, e);
    }

    private void finish(ChatExchange x, int status, String errorCode, int upstreamStatus, Usage usage) {
        OutcomeRecord outcome = x.finish(status, errorCode, upstreamStatus, usage);
        if (outcome != null) {
            metrics.outcome(outcome);
            outcomes.record(outcome);
        }
    }

    private static int upstreamStatus(Throwable failure) {
        return failure instanceof ExpertCallException e ? e.status() : 0;
    }
}
