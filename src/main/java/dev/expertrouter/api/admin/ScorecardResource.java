package dev.expertrouter.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.metrics.ScorecardMetrics;
import dev.expertrouter.outcomes.RoutingScorecard;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.OptionalDouble;

/**
 * {@code GET /admin/scorecard}: this replica's routing scorecard since start-up, per domain (the
 * router's) and expert: answers, spend, counterfactual savings, ratings, cost per well-rated answer
 * and the share of ratings that corrected the domain; and the traffic's class mix against the
 * serving model's training mix. Admin key required ({@link AdminGate}).
 */
@Path("/admin/scorecard")
public class ScorecardResource {

    private final ScorecardMetrics scorecard;

    public ScorecardResource(ScorecardMetrics scorecard) {
        this.scorecard = scorecard;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode scorecard() {
        RoutingScorecard.Snapshot s = scorecard.scorecard().snapshot();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("positive_score", RoutingScorecard.POSITIVE);
        ArrayNode rows = root.putArray("experts");
        for (RoutingScorecard.Row r : s.rows()) {
            ObjectNode n = rows.addObject();
            n.put("domain", r.domain());
            n.put("expert", r.expert());
            n.put("answers", r.answers());
            n.put("spend_usd", r.spendUsd());
            n.put("saved_usd", r.savedUsd());
            n.put("rated", r.rated());
            n.put("rated_positive", r.positive());
            n.put("corrections", r.corrections());
            putRatio(n, "cost_per_good_answer_usd", r.costPerGoodAnswerUsd());
            putRatio(n, "correction_share", r.correctionShare());
        }
        ObjectNode mix = root.putObject("class_mix");
        mix.put("training_version", s.trainingVersion());
        mix.put("classified_requests", s.classifiedRequests());
        ArrayNode domains = mix.putArray("domains");
        for (RoutingScorecard.DomainMix d : s.classMix()) {
            ObjectNode n = domains.addObject();
            n.put("domain", d.domain());
            n.put("requests", d.requests());
            n.put("traffic_share", d.trafficShare());
            n.put("training_examples", d.trainingExamples());
            n.put("training_share", d.trainingShare());
        }
        return root;
    }

    private static void putRatio(ObjectNode n, String field, OptionalDouble value) {
        if (value.isPresent()) {
            n.put(field, value.getAsDouble());
        } else {
            n.putNull(field);
        }
    }
}
