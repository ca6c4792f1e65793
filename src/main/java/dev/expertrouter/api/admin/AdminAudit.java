package dev.expertrouter.api.admin;

import dev.expertrouter.Sha256;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * One audit line per admin request, whatever serves it (Vert.x routes or Quarkus REST resources
 * under {@code /admin}): who (the presented key's fingerprint, never the key), what (method and
 * path) and the result (status). Installed in front of every {@code /admin} route, so a new admin
 * endpoint is audited without doing anything.
 */
@ApplicationScoped
public class AdminAudit {

    static final Logger AUDIT = Logger.getLogger("dev.expertrouter.audit");

    void register(@Observes Router router) {
        router.route("/admin/*").order(-100).handler(this::audit);
        router.route("/admin").order(-100).handler(this::audit);
    }

    private void audit(RoutingContext ctx) {
        String who = fingerprint(ctx.request().getHeader("authorization"));
        String what = ctx.request().method() + " " + ctx.request().path();
        ctx.addEndHandler(done -> {
            int status = ctx.response().getStatusCode();
            String result = !done.succeeded() ? "aborted" : status < 400 ? "ok" : status == 401 || status == 403 ? "denied" : "failed";
            AUDIT.infof("admin who=%s what=\"%s\" result=%s status=%d", who, what, result, status);
        });
        ctx.next();
    }

    /**
     * {@code key:} and the first 8 hex digits of the key's SHA-256: enough to tell keys apart in a
     * log, useless to an attacker. {@code none} without a Bearer key.
     */
    public static String fingerprint(String authorization) {
        if (authorization == null) {
            return "none";
        }
        String value = authorization.trim();
        if (value.length() < 8 || !value.regionMatches(true, 0, "bearer ", 0, 7) || value.substring(7).isBlank()) {
            return "none";
        }
        return "key:" + Sha256.hex(value.substring(7).trim()).substring(0, 8);
    }
}
