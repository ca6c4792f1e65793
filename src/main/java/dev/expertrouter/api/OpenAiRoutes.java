package dev.expertrouter.api;

import dev.expertrouter.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.experts.ExpertEndpoints;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.affinity.AffinityRule;
import dev.expertrouter.routing.quality.VerifyThenEscalate;
import dev.expertrouter.routing.serving.ServingVerifiers;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * The OpenAI-compatible surface under {@code /v1}, on plain Vert.x routes: the gateway needs full
 * control of status, headers and streaming, and no framework buffering between expert and client.
 */
@ApplicationScoped
public class OpenAiRoutes {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OpenAiRoutes.class);

    private static final ObjectMapper JSON = Json.MAPPER;

    private final RequestRouter router;
    private final ConfigHolder config;
    private final RouterSettings settings;
    private final ExpertEndpoints endpoints;

    private final ShutdownGate gate;
    private final FeedbackHandler feedback;
    private final ServingVerifiers verifiers;

    public OpenAiRoutes(RequestRouter router, ConfigHolder config, RouterSettings settings,
            ExpertEndpoints endpoints, ShutdownGate gate, FeedbackHandler feedback, ServingVerifiers verifiers) {
        this.verifiers = verifiers;
        this.gate = gate;
        this.feedback = feedback;
        this.endpoints = endpoints;
        this.router = router;
        this.config = config;
        this.settings = settings;
    }

    void register(@Observes Router web) {
        web.route("/v1/*").order(-1).handler(ctx -> {
            if (gate.isClosing()) {
                ctx.response().putHeader("connection", "close");
                ApiErrors.write(ctx.response(), ApiException.upstream(503, "shutting_down",
                        "The gateway is shutting down; retry on another instance.", Optional.of(1)));
                return;
            }
            if (ctx.request().localAddress() != null) {
                endpoints.observeLocalPort(ctx.request().localAddress().port());
            }
            cutOffSlowBodies(ctx, settings.bodyReadTimeout().toMillis());
            ctx.next();
        });
        post(web, "/v1/route", settings, AuthenticatedRoute.of(config, this::route));
        post(web, "/v1/feedback", settings, feedback::handle);
        web.get("/v1/models").handler(AuthenticatedRoute.of(config, this::models)).failureHandler(ctx -> failure(ctx, settings));
        web.route("/v1/*").last().handler(ctx -> ApiErrors.write(ctx.response(), HttpErrors.unrouted(web, ctx.request().method(), ctx.request().path())));
    }

    /**
     * A client that has not sent its whole body within {@code router.body-read-timeout} gets 408
     * and its connection is closed: a slow sender cannot hold a connection and a buffer for long.
     */
    private static void cutOffSlowBodies(RoutingContext ctx, long timeoutMs) {
        if (ctx.request().isEnded()) {
            return;
        }
        long timer = ctx.vertx().setTimer(timeoutMs, t -> {
            if (ctx.request().isEnded() || ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            LOG.infof("request body on %s not received within %d ms: connection closed", ctx.request().path(), timeoutMs);
            ctx.response().putHeader("connection", "close");
            ApiErrors.write(ctx.response(), new ApiException(408, "invalid_request_error", "request_timeout",
                    "The request body was not received in time.", null, Optional.empty()));
            ctx.request().connection().close();
        });
        ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
    }

    /**
     * Registers a {@code /v1} POST endpoint: its body is read whole (up to
     * {@code router.max-body-bytes}, never to a file) before {@code handler} runs.
     */
    public static void post(Router web, String path, RouterSettings settings, Handler<RoutingContext> handler) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()).setHandleFileUploads(false);
        // Vert.x wants the body handler first on a route: the form check is a route of its own, ahead
        web.post(path).order(-1).handler(OpenAiRoutes::refuseForms);
        web.post(path).handler(body).handler(handler).failureHandler(ctx -> failure(ctx, settings));
    }

    /**
     * Form and multipart bodies are refused before they are read: the body handler would decode
     * them as form attributes (and fail past Vert.x' attribute size with a 500), and no endpoint
     * here takes one.
     */
    private static void refuseForms(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        String t = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT).trim();
        if (t.startsWith("multipart/") || t.startsWith("application/x-www-form-urlencoded")) {
            LOG.debugf("refused a %s body on %s", t.split(";")[0], ctx.request().path());
            ctx.response().putHeader("connection", "close");
            ApiErrors.write(ctx.response(), HttpErrors.unsupportedMediaType());
            return;
        }
        ctx.next();
    }

    /** Failures raised by Vert.x handlers before ours run, such as the body limit. */
    private static void failure(RoutingContext ctx, RouterSettings settings) {
        Throwable failure = ctx.failure();
        ApiException e;
        if (ctx.statusCode() == 413) {
            e = ApiException.tooLarge("Request body exceeds " + settings.maxBodyBytes() + " bytes.");
        } else if (failure instanceof ApiException api) {
            e = api;
        } else if (failure != null) {
            // the body could not be read (a reset, a decoding failure): the client's problem, one line
            LOG.infof("unreadable request body on %s: %s", ctx.request().path(), failure.getClass().getSimpleName());
            e = ApiException.badRequest("invalid_request", "The request body could not be read.", null);
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            e = ApiException.badRequest("invalid_request", "The request could not be read.", null);
        } else {
            e = ApiErrors.toApi(new IllegalStateException("status " + ctx.statusCode()));
        }
        ApiErrors.write(ctx.response(), e);
    }

    /** {@code GET /v1/models}: experts, policies and {@code auto}, each with its kind. */
    private void models(RoutingContext ctx, TenantConfig tenant, RouterConfig cfg) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        model(data, RouterConfig.AUTO, "auto").put("policy", tenant.policy());
        for (PolicyConfig p : cfg.policies()) {
            if (tenant.mayUsePolicy(p.name())) {
                model(data, p.name(), "policy");
            }
        }
        for (ExpertConfig e : cfg.experts()) {
            if (tenant.mayUseExpert(e.id())) {
                ObjectNode m = model(data, e.id(), "expert");
                m.put("upstream_model", e.model());
                m.put("context_window", e.contextWindow());
                m.put("simulated", e.isSimulated());
                ObjectNode price = m.putObject("price");
                price.put("input_per_mtok", e.price().inputPerMtok());
                price.put("output_per_mtok", e.price().outputPerMtok());
            }
        }
        ctx.response().putHeader("content-type", "application/json").end(root.toString());
    }

    private static ObjectNode model(ArrayNode data, String id, String kind) {
        ObjectNode m = data.addObject();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", 0);
        m.put("owned_by", "expert-router");
        m.put("kind", kind);
        return m;
    }

    /** {@code POST /v1/route}: the decision for a chat body, without calling an expert. */
    private void route(RoutingContext ctx, TenantConfig tenant, RouterConfig cfg) {
        ChatRequest request = ChatRequestParser.parse(ChatRequestParser.bodyOf(ctx));
        RoutedRequest routed = router.prepare(ctx, tenant, request, cfg);
        router.classifyTurn(routed).subscribe().with(turn -> {
            try {
                AffinityRule.Verdict verdict = router.decideTurn(routed, turn, cfg, Optional.empty());
                Classification classification = verdict.classification();
                RoutingDecision decision = verdict.decision();
                ObjectNode root = JSON.createObjectNode();
                root.put("domain", classification.domain());
                root.put("confidence", classification.confidence());
                ObjectNode scores = root.putObject("scores");
                classification.scores().forEach(scores::put);
                root.put("expert", decision.chosen().map(Candidate::expert).orElse(null));
                // verify-then-escalate: the expert asked first when it applies (its answer may go on to "expert")
                root.put("draft", VerifyThenEscalate.plan(routed.target().policy().verification(),
                        routed.target().forcedExpert().isPresent(), request.stream(), decision.eligibleExperts(cfg),
                        verifiers::forExpert)
                        .map(VerifyThenEscalate::draft).orElse(null));
                root.put("policy", decision.policy());
                root.put("router_version", classification.routerVersion());
                if (verdict.outcome().isPresent()) {
                    root.put("affinity", verdict.outcome().get().wireName());
                    root.put("affinity_reason", verdict.reason());
                } else {
                    root.putNull("affinity");
                }
                ArrayNode candidates = root.putArray("candidates");
                for (Candidate c : decision.candidates()) {
                    if (!routed.tenant().mayUseExpert(c.expert())) {
                        continue; // a restricted tenant does not learn what else is configured
                    }
                    ObjectNode n = candidates.addObject();
                    n.put("expert", c.expert());
                    n.put("score", c.score());
                    n.put("est_quality", c.estQuality());
                    n.put("est_cost_usd", c.estCostUsd());
                    n.put("est_latency_ms", c.estLatencyMs());
                    n.put("eligible", c.eligible());
                    if (c.reason() == null) {
                        n.putNull("reason");
                    } else {
                        n.put("reason", c.reason());
                    }
                }
                ctx.response().putHeader("content-type", "application/json").end(root.toString());
            } catch (RuntimeException e) {
                ApiErrors.write(ctx.response(), e);
            }
        }, failure -> ApiErrors.write(ctx.response(), failure));
    }
}
