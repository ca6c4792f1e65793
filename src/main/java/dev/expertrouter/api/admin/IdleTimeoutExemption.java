package dev.expertrouter.api.admin;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets one admin call outlive {@code quarkus.http.idle-timeout}. The idle timeout closes a
 * connection that neither reads nor writes for its length (30 s by default, the hardening in
 * docs/tenancy.md), which is right for callers and wrong for {@code POST /admin/router/retrain}: it
 * answers when the candidate is trained and judged, minutes later on a busy machine, and its answer
 * was lost to the cut. Only calls that passed {@link AdminGate} get here. The connection's idle
 * handler (the {@code IdleStateHandler} Vert.x names {@code idle} in every HTTP/1 pipeline) is
 * removed and the answer says {@code Connection: close}, so the exempt connection ends with the call
 * instead of lingering without a timeout.
 */
final class IdleTimeoutExemption {

    /** The name Vert.x gives the idle handler in an HTTP/1 server pipeline. */
    static final String IDLE_HANDLER = "idle";

    private IdleTimeoutExemption() {
    }

    /** Exempts the call's connection; true when an idle handler was there to remove (or is being removed). */
    static boolean exempt(RoutingContext ctx) {
        ctx.response().putHeader("connection", "close");
        HttpConnection connection = ctx.request().connection();
        if (!(connection instanceof ConnectionBase base)) {
            return false; // HTTP/2 or a connection type without a Netty channel: nothing to remove
        }
        Channel channel = base.channel();
        if (channel.pipeline().get(IDLE_HANDLER) == null) {
            return false;
        }
        // pipeline changes belong on the channel's event loop; a Quarkus REST resource may run elsewhere
        channel.eventLoop().execute(() -> {
            if (channel.pipeline().get(IDLE_HANDLER) != null) {
                channel.pipeline().remove(IDLE_HANDLER);
            }
        });
        return true;
    }
}
