package dev.expertrouter.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.metrics.GatewayMetrics;
import dev.expertrouter.outcomes.LoggingOutcomeSink;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.policy.ExpertStats;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * {@code POST /v1/feedback}: {@code {"request_id", "score": 0..1, "domain": optional correction}}.
 * Joins an earlier outcome of the same tenant and moves the answering expert's quality estimate in
 * that domain, which the policy engine reads. One feedback per request, so a caller cannot drag an
 * expert's estimate by repeating itself.
 */
@ApplicationScoped
public class FeedbackHandler {

    private static final Logger LOG = Logger.getLogger("dev.expertrouter.outcomes");

    private final ConfigHolder config;
    private final LoggingOutcomeSink outcomes;
    private final ExpertStats stats;
    private final GatewayMetrics metrics;
    private final Set<String> rated = ConcurrentHashMap.newKeySet();

    public FeedbackHandler(ConfigHolder config, LoggingOutcomeSink outcomes, ExpertStats stats, GatewayMetrics metrics) {
        this.config = config;
        this.outcomes = outcomes;
        this.stats = stats;
        this.metrics = metrics;
    }

    public void handle(RoutingContext ctx) {
        try {
            RouterConfig cfg = config.current();
            TenantConfig tenant = TenantAuthenticator.authenticate(ctx.request().getHeader("authorization"), cfg);
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
            OutcomeRecord outcome = outcomes.find(id.asText())
                    .filter(o -> o.tenant().equals(tenant.name()))
                    .orElseThrow(() -> ApiException.notFound("unknown_request_id",
                            "No recent request with id '" + id.asText() + "' for this key.", "request_id"));
            if (!outcome.succeeded() || outcome.expert() == null) {
                throw ApiException.unprocessable("no_answer_to_rate", "Request '" + outcome.requestId() + "' got no answer to rate.", "request_id");
            }
            String ratedDomain = correction.orElse(outcome.domain());
            if (!rated.add(outcome.requestId())) {
                throw new ApiException(409, "invalid_request_error", "feedback_exists",
                        "Request '" + outcome.requestId() + "' already has feedback.", "request_id", Optional.empty());
            }
            if (!Classification.UNKNOWN_DOMAIN.equals(ratedDomain)) {
                stats.recordFeedback(outcome.expert(), ratedDomain, score.asDouble());
            }
            metrics.feedback(outcome, correction, score.asDouble());
            LOG.infof("feedback request_id=%s tenant=%s expert=%s domain=%s routed_domain=%s score=%.3f",
                    outcome.requestId(), tenant.name(), outcome.expert(), ratedDomain, outcome.domain(), score.asDouble());
            ObjectNode answer = body.objectNode();
            answer.put("request_id", outcome.requestId());
            answer.put("expert", outcome.expert());
            answer.put("domain", ratedDomain);
            answer.put("score", score.asDouble());
            answer.put("accepted", true);
            ctx.response().putHeader("content-type", "application/json").end(answer.toString());
        } catch (RuntimeException e) {
            ApiErrors.write(ctx.response(), e);
        }
    }
}
