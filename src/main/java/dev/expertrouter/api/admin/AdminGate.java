package dev.expertrouter.api.admin;

import dev.expertrouter.Sha256;
import dev.expertrouter.api.AdminAuthenticator;
import dev.expertrouter.api.ApiErrors;
import dev.expertrouter.api.ApiException;
import dev.expertrouter.api.TenantAuthenticator;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.RouterSettings;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The one door to {@code /admin}: every admin request, whatever serves it (Quarkus REST resources
 * or Vert.x routes), is authenticated here with the admin key ({@link AdminAuthenticator}: 401 or
 * 403 in the OpenAI shape) and leaves one audit line when it ends: who (the presented key's
 * fingerprint, never the key), what (method and path), the result and status, and what the
 * endpoint noted ({@link #note}). Installed ahead of every {@code /admin} route, so an endpoint
 * added later is closed and audited without doing anything.
 */
@ApplicationScoped
public class AdminGate {

    static final Logger AUDIT = Logger.getLogger("dev.expertrouter.audit");
    private static final String NOTE = "router.admin-audit-note";

    private final ConfigHolder config;
    private final RouterSettings settings;

    public AdminGate(ConfigHolder config, RouterSettings settings) {
        this.config = config;
        this.settings = settings;
    }

    void register(@Observes Router router) {
        router.route("/admin/*").order(-100).handler(this::admit);
        router.route("/admin").order(-100).handler(this::admit);
    }

    private void admit(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("authorization");
        String who = fingerprint(authorization);
        String what = ctx.request().method() + " " + ctx.request().path();
        ctx.addEndHandler(done -> {
            int status = ctx.response().getStatusCode();
            String result = !done.succeeded() ? "aborted" : status < 400 ? "ok" : status == 401 || status == 403 ? "denied" : "failed";
            String note = ctx.get(NOTE);
            if (note == null) {
                AUDIT.infof("admin who=%s what=\"%s\" result=%s status=%d", who, what, result, status);
            } else {
                AUDIT.infof("admin who=%s what=\"%s\" result=%s status=%d note=\"%s\"", who, what, result, status, note);
            }
        });
        try {
            AdminAuthenticator.authenticate(authorization, settings.adminKey(), config.current());
        } catch (ApiException e) {
            ApiErrors.write(ctx.response(), e);
            return;
        }
        ctx.next();
    }

    /** What an admin endpoint did, beyond its status (a version promoted, a retrain's verdict), for the audit line. */
    public static void note(RoutingContext ctx, String note) {
        ctx.put(NOTE, note.replace('"', '\''));
    }

    /**
     * {@code key:} and the first 8 hex digits of the key's SHA-256: enough to tell keys apart in a
     * log, useless to an attacker. {@code none} without a Bearer key.
     */
    public static String fingerprint(String authorization) {
        try {
            return "key:" + Sha256.hex(TenantAuthenticator.bearer(authorization)).substring(0, 8);
        } catch (ApiException noKey) {
            return "none";
        }
    }
}
