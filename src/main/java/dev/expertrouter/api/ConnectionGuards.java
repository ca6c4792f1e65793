package dev.expertrouter.api;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.config.RouterSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Puts a {@link ConnectionGuard} in front of every connection the HTTP server accepts.
 *
 * <p>Neither Quarkus nor Vert.x' public API has a hook for this: Quarkus creates the server and
 * calls {@code listen} itself, and Vert.x reads {@code HttpServer.invalidRequestHandler} and
 * {@code connectionHandler} only before {@code listen}. So, once the server listens, this adds a
 * handler to the listening channel's Netty pipeline (found through Vert.x' shared-server map and
 * one private field, {@code TCPServerBase.bindFuture}) that puts the guard first in each accepted
 * connection's pipeline. HTTP/2 over cleartext (h2c) is turned off: with it Vert.x builds the
 * HTTP/1 pipeline only after a connection's first bytes, too late to guard that first request.
 * The gateway is not ready until the guard is in place: a configured header-read timeout that is
 * not enforced must not serve.
 */
@ApplicationScoped
public class ConnectionGuards implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(ConnectionGuards.class);
    private static final String ACCEPTOR = "router-connection-guard-acceptor";

    private final Vertx vertx;
    private final long timeoutMillis;
    private final ConnectionGuard.CutOffLog cutOffs;
    private final Set<Channel> guarded = new HashSet<>();
    private volatile boolean installed;
    private volatile String problem = "the HTTP server has not started";

    public ConnectionGuards(Vertx vertx, RouterSettings settings, GatewayClock clock) {
        this.vertx = vertx;
        this.timeoutMillis = settings.headerReadTimeout().toMillis();
        this.cutOffs = new ConnectionGuard.CutOffLog(clock);
    }

    void validate(@Observes StartupEvent event) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("router.header-read-timeout must be positive, got " + timeoutMillis + " ms");
        }
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }

    void onHttpStart(@ObservesAsync HttpServerStart event) {
        install();
    }

    /** Whether every listening HTTP server guards its connections; tries to install the guard if not yet. */
    public boolean isInstalled() {
        if (!installed) {
            install();
        }
        return installed;
    }

    /** Why the guard is not in place, for the readiness check. */
    public String problem() {
        return installed ? "" : problem;
    }

    private synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Field bind = TCPServerBase.class.getDeclaredField("bindFuture");
            bind.setAccessible(true);
            int found = 0;
            for (HttpServerImpl server : ((VertxInternal) vertx).sharedHttpServers().values()) {
                Object future = bind.get(server);
                if (future instanceof Future<?> f && f.succeeded() && f.result() instanceof Channel channel) {
                    if (guarded.add(channel)) {
                        channel.pipeline().addFirst(ACCEPTOR, new Acceptor(timeoutMillis, cutOffs));
                    }
                    found++;
                }
            }
            if (found == 0) {
                problem = "no listening HTTP server found";
                return;
            }
            installed = true;
            LOG.debugf("connection guard installed on %d listening channel(s), header-read timeout %d ms", found, timeoutMillis);
        } catch (ReflectiveOperationException | RuntimeException e) {
            problem = "cannot reach the HTTP server's channel: " + e.getClass().getSimpleName();
            LOG.errorf("connection guard not installed (%s): header-read timeout and codec errors are not enforced", problem);
        }
    }

    /** On the listening channel: each accepted connection gets its own guard, ahead of Vert.x' handlers. */
    @ChannelHandler.Sharable
    private static final class Acceptor extends ChannelInboundHandlerAdapter {

        private final long timeoutMillis;
        private final ConnectionGuard.CutOffLog cutOffs;

        Acceptor(long timeoutMillis, ConnectionGuard.CutOffLog cutOffs) {
            this.timeoutMillis = timeoutMillis;
            this.cutOffs = cutOffs;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof Channel child) {
                child.pipeline().addFirst(ConnectionGuard.NAME, new ConnectionGuard(timeoutMillis, cutOffs));
            }
            super.channelRead(ctx, msg);
        }
    }
}
