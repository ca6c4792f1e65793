package dev.expertrouter.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.Sha256;
import dev.expertrouter.api.AdminAuthenticator;
import dev.expertrouter.api.ApiErrors;
import dev.expertrouter.api.ApiException;
import dev.expertrouter.api.TenantAuthenticator;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.routing.classifier.RouterModelException;
import dev.expertrouter.routing.serving.ModelReleases;
import dev.expertrouter.training.PromotionGates;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The router's release cycle over HTTP, admin key only: retrain (answers when the candidate is
 * trained and judged), promote a version, roll back, list versions. Every call leaves one audit
 * line: who (the first 8 hex of the key's sha256, never the key), what, and the result.
 */
@Path("/admin/router")
@Produces(MediaType.APPLICATION_JSON)
public class RouterAdminResource {

    private static final Logger AUDIT = Logger.getLogger("dev.expertrouter.audit");

    private final ModelReleases releases;
    private final RouterSettings settings;
    private final ConfigHolder config;

    public RouterAdminResource(ModelReleases releases, RouterSettings settings, ConfigHolder config) {
        this.releases = releases;
        this.settings = settings;
        this.config = config;
    }

    /** Trains a candidate from the base data and corrected outcomes, judges it, and promotes it if allowed. */
    @POST
    @Path("/retrain")
    public CompletionStage<Response> retrain(@HeaderParam("Authorization") String authorization) {
        String who = authenticate(authorization, "retrain");
        CompletableFuture<ModelReleases.RetrainOutcome> running;
        try {
            running = releases.retrain();
        } catch (IllegalStateException e) {
            throw audited(who, "retrain", conflict("retrain_running", e.getMessage()));
        }
        return running.handle((outcome, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                ApiException e = cause instanceof IllegalStateException || cause instanceof IllegalArgumentException
                        ? conflict("retrain_failed", cause.getMessage())
                        : new ApiException(500, "server_error", "retrain_failed", "retrain failed: " + cause, null, Optional.empty());
                audit(who, "retrain", "failed " + e.getMessage());
                return error(e);
            }
            audit(who, "retrain", outcome.result().version() + " " + (outcome.promoted() ? "promoted" : outcome.note()));
            return Response.ok(retrainBody(outcome)).build();
        });
    }

    /** Serves a version now, without the gates: the operator's decision, audited. */
    @POST
    @Path("/promote")
    @Blocking
    public ObjectNode promote(@HeaderParam("Authorization") String authorization, String body) {
        String who = authenticate(authorization, "promote");
        String version = versionOf(body, who);
        try {
            String before = releases.promote(version);
            audit(who, "promote " + version, "ok, was " + before);
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("version", version);
            n.put("previous", before);
            n.put("promoted", true);
            return n;
        } catch (RouterModelException e) {
            throw audited(who, "promote " + version, ApiException.badRequest("invalid_version", e.getMessage(), "version"));
        } catch (IllegalStateException e) {
            throw audited(who, "promote " + version, conflict("promotion_refused", e.getMessage()));
        }
    }

    /** Serves the version that served before the current one. */
    @POST
    @Path("/rollback")
    @Blocking
    public ObjectNode rollback(@HeaderParam("Authorization") String authorization) {
        String who = authenticate(authorization, "rollback");
        try {
            String now = releases.rollback();
            audit(who, "rollback", "ok, now " + now);
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("version", now);
            n.put("rolledBack", true);
            return n;
        } catch (IllegalStateException | RouterModelException e) {
            throw audited(who, "rollback", conflict("rollback_refused", e.getMessage()));
        }
    }

    /** Every version's metrics and gates, which one serves, the history, and the shadow's agreement. */
    @GET
    @Path("/versions")
    @Blocking
    public ObjectNode versions(@HeaderParam("Authorization") String authorization) {
        authenticate(authorization, "versions");
        return releases.versions();
    }

    @ServerExceptionMapper
    public Response mapApiException(ApiException e) {
        return error(e);
    }

    private static Response error(ApiException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(ApiErrors.body(e).toString()).build();
    }

    private String authenticate(String authorization, String action) {
        String who = fingerprint(authorization);
        try {
            AdminAuthenticator.authenticate(authorization, settings.adminKey(), config.current());
            return who;
        } catch (ApiException e) {
            throw audited(who, action, e);
        }
    }

    private static String versionOf(String body, String who) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw audited(who, "promote", ApiException.badRequest("invalid_json", "The body is not valid JSON.", null));
        }
        if (node == null || !node.path("version").isTextual() || node.path("version").asText().isBlank()) {
            throw audited(who, "promote", ApiException.badRequest("missing_version",
                    "The body must be {\"version\": \"<version>\"}.", "version"));
        }
        String version = node.path("version").asText();
        if (!version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw audited(who, "promote", ApiException.badRequest("invalid_version",
                    "version must be a plain version directory name.", "version"));
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
        n.put("seconds", outcome.result().seconds());
        n.put("cpuSeconds", outcome.result().cpuSeconds());
        n.set("quality", outcome.quality().toJson());
        return n;
    }

    private static ApiException conflict(String code, String message) {
        return new ApiException(409, "invalid_request_error", code, message, null, Optional.empty());
    }

    private static ApiException audited(String who, String action, ApiException e) {
        audit(who, action, e.status() + " " + e.code());
        return e;
    }

    private static void audit(String who, String action, String result) {
        AUDIT.infof("admin by=%s action=%s result=%s", who, action, result);
    }

    /** The first 8 hex of the presented key's sha256: enough to tell keys apart in a log, useless to an attacker. */
    static String fingerprint(String authorization) {
        try {
            return Sha256.hex(TenantAuthenticator.bearer(authorization)).substring(0, 8);
        } catch (ApiException noKey) {
            return "none";
        }
    }
}
