package dev.expertrouter.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.metrics.GatewayMetrics;
import dev.expertrouter.outcomes.FeedbackService;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/feedback}: {@code {"request_id", "score": 0..1, "domain": optional correction}}.
 * Parses and checks the body, then hands it to {@link FeedbackService} on a worker thread (it talks
 * to Redis) and maps its refusals: 404 unknown (or another tenant's) request, 422 no answer to
 * rate, 409 feedback already given, 503 with Retry-After while Redis cannot store it.
 */
@ApplicationScoped
public class FeedbackHandler {

    /** Seconds a client is asked to wait when feedback cannot be stored now. */
    private static final int RETRY_AFTER_SECONDS = 5;

    private final ConfigHolder config;
    private final FeedbackService feedback;
    private final GatewayMetrics metrics;

    public FeedbackHandler(ConfigHolder config, FeedbackService feedback, GatewayMetrics metrics) {
        this.config = config;
        this.feedback = feedback;
        this.metrics = metrics;
    }

    public void handle(RoutingContext ctx) {
        AuthenticatedRoute.of(config, this::rate).handle(ctx);
    }

    private void rate(RoutingContext ctx, TenantConfig tenant, RouterConfig cfg) {
        ObjectNode body = ChatRequestParser.parseObject(ChatRequestParser.bodyOf(ctx));
        JsonNode id = body.get("request_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw ApiException.badRequest("missing_required_parameter", "'request_id' is required", "request_id");
        }
        JsonNode score = body.get("score");
        if (score == null || !score.isNumber() || !(score.asDouble() >= 0 && score.asDouble() <= 1)) {
            throw ApiException.badRequest("invalid_value", "'score' must be a number between 0 and 1", "score");
        }
        Optional<String> correction = Optional.empty();
        JsonNode domain = body.get("domain");
        if (domain != null && !domain.isNull()) {
            Set<String> known = ConfigLoader.knownDomains(cfg.experts());
            if (!domain.isTextual() || !known.contains(domain.asText())) {
                throw ApiException.badRequest("invalid_value", "'domain' must be one of " + known, "domain");
            }
            correction = Optional.of(domain.asText());
        }
        Optional<String> corrected = correction;
        ctx.vertx().<FeedbackService.Accepted>executeBlocking(
                () -> feedback.submit(tenant.name(), id.asText(), score.asDouble(), corrected), false)
                .onSuccess(accepted -> {
                    metrics.feedback(accepted.feedback(), accepted.costUsd());
                    ObjectNode answer = body.objectNode();
                    answer.put("request_id", accepted.feedback().requestId());
                    answer.put("expert", accepted.feedback().expert());
                    answer.put("domain", accepted.feedback().routedDomain());
                    accepted.feedback().correctedDomain().ifPresent(d -> answer.put("corrected_domain", d));
                    answer.put("score", accepted.feedback().score());
                    answer.put("accepted", true);
                    ctx.response().putHeader("content-type", "application/json").end(answer.toString());
                })
                .onFailure(e -> ApiErrors.write(ctx.response(), e instanceof FeedbackService.Refused r ? toApi(r) : e));
    }

    private static RuntimeException toApi(FeedbackService.Refused r) {
        return switch (r.reason()) {
            case UNKNOWN_REQUEST -> ApiException.notFound("unknown_request_id", r.getMessage(), "request_id");
            case NO_ANSWER -> ApiException.unprocessable("no_answer_to_rate", r.getMessage(), "request_id");
            case ALREADY_RATED -> new ApiException(409, "invalid_request_error", "feedback_exists", r.getMessage(), "request_id",
                    Optional.empty());
            case STORE_UNAVAILABLE -> ApiException.upstream(503, "feedback_unavailable", r.getMessage(),
                    Optional.of(RETRY_AFTER_SECONDS));
        };
    }
}
