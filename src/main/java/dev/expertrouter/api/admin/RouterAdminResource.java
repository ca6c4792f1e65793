package dev.expertrouter.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.api.ApiException;
import dev.expertrouter.api.RestErrors;
import dev.expertrouter.routing.classifier.RouterModelException;
import dev.expertrouter.routing.serving.ModelReleases;
import dev.expertrouter.training.PromotionGates;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The router's release cycle over HTTP: retrain (answers when the candidate is trained and judged,
 * however long that takes: {@link IdleTimeoutExemption}),
 * promote a version, roll back, list versions. {@link AdminGate} admits only the admin key and
 * writes each call's audit line; these endpoints add what they did to it.
 */
@Path("/admin/router")
@Produces(MediaType.APPLICATION_JSON)
public class RouterAdminResource {

    private final ModelReleases releases;

    public RouterAdminResource(ModelReleases releases) {
        this.releases = releases;
    }

    /** Trains a candidate from the base data and corrected outcomes, judges it, and promotes it if allowed. */
    @POST
    @Path("/retrain")
    public CompletionStage<Response> retrain(RoutingContext ctx) {
        CompletableFuture<ModelReleases.RetrainOutcome> running;
        try {
            running = releases.retrain();
        } catch (IllegalStateException e) {
            throw conflict("retrain_running", e.getMessage());
        }
        // the answer comes when the retrain is done, which can be long after the idle timeout
        IdleTimeoutExemption.exempt(ctx);
        return running.handle((outcome, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                ApiException e = cause instanceof IllegalStateException || cause instanceof IllegalArgumentException
                        ? conflict("retrain_failed", cause.getMessage())
                        : new ApiException(500, "server_error", "retrain_failed", "retrain failed: " + cause, null, Optional.empty());
                AdminGate.note(ctx, "retrain failed: " + e.getMessage());
                return RestErrors.response(e);
            }
            AdminGate.note(ctx, "retrain " + outcome.result().version() + " " + (outcome.promoted() ? "promoted" : outcome.note()));
            return Response.ok(retrainBody(outcome)).build();
        });
    }

    /** Serves a version now, without the gates: the operator's decision, audited. */
    @POST
    @Path("/promote")
    @Blocking
    public ObjectNode promote(String body, RoutingContext ctx) {
        String version = versionOf(body);
        AdminGate.note(ctx, "promote " + version);
        try {
            String before = releases.promote(version);
            AdminGate.note(ctx, "promote " + version + ", was " + before);
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("version", version);
            n.put("previous", before);
            n.put("promoted", true);
            return n;
        } catch (RouterModelException e) {
            throw ApiException.badRequest("invalid_version", e.getMessage(), "version");
        } catch (IllegalStateException e) {
            throw conflict("promotion_refused", e.getMessage());
        }
    }

    /** Serves the version that served before the current one. */
    @POST
    @Path("/rollback")
    @Blocking
    public ObjectNode rollback(RoutingContext ctx) {
        try {
            String now = releases.rollback();
            AdminGate.note(ctx, "rollback, now " + now);
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("version", now);
            n.put("rolledBack", true);
            return n;
        } catch (IllegalStateException | RouterModelException e) {
            throw conflict("rollback_refused", e.getMessage());
        }
    }

    /** Every version's metrics and gates, which one serves, the history, and the shadow's agreement. */
    @GET
    @Path("/versions")
    @Blocking
    public ObjectNode versions() {
        return releases.versions();
    }

    private static String versionOf(String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "The body is not valid JSON.", null);
        }
        if (node == null || !node.path("version").isTextual() || node.path("version").asText().isBlank()) {
            throw ApiException.badRequest("missing_version", "The body must be {\"version\": \"<version>\"}.", "version");
        }
        String version = node.path("version").asText();
        if (!version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw ApiException.badRequest("invalid_version", "version must be a plain version directory name.", "version");
        }
        return version;
    }

    private static ObjectNode retrainBody(ModelReleases.RetrainOutcome outcome) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("version", outcome.result().version());
        n.put("promoted", outcome.promoted());
        n.put("note", outcome.note());
        ObjectNode gates = n.putObject("gates");
        for (var entry : outcome.result().verdict().gates().entrySet()) {
            PromotionGates.Gate g = entry.getValue();
            ObjectNode gate = gates.putObject(entry.getKey());
            gate.put("value", g.value());
            gate.put("threshold", g.threshold());
            gate.put("passed", g.passed());
        }
        n.put("judgedAgainst", outcome.result().verdict().servingVersion());
        n.put("regressionRows", outcome.result().verdict().rows());
        n.put("corrections", outcome.result().corrections());
        n.set("correctionBounds", outcome.result().bounds().toJson());
        n.put("seconds", outcome.result().seconds());
        n.put("cpuSeconds", outcome.result().cpuSeconds());
        n.set("quality", outcome.quality().toJson());
        return n;
    }

    private static ApiException conflict(String code, String message) {
        return new ApiException(409, "invalid_request_error", code, message, null, Optional.empty());
    }
}
