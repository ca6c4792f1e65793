package dev.expertrouter.api;

import dev.expertrouter.GatewayClock;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.net.impl.VertxHandler;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One per HTTP/1 connection, first in its Netty pipeline. It gives Vert.x' connection the
 * {@link CodecRejections} answer for unreadable heads, and cuts off clients that are slow to send
 * a request head: the head of the first request must be complete within the header-read timeout
 * of the connection opening, a later request's head within the timeout of its first byte. Past
 * it the connection is closed, after a {@code 408} in the OpenAI shape when part of a head had
 * arrived (and no answer to an earlier request is still being written). Waiting between requests
 * is not cut: that is the idle timeout's job; a body is the body-read timeout's.
 *
 * <p>Two handlers share the state: this one sees the raw bytes (a request starts), a second one
 * behind Vert.x' decoder and encoder sees the decoded head arrive and answers leave.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "router-connection-guard";
    private static final String DECODED = "router-connection-guard-decoded";

    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class);

    private final long timeoutMillis;
    private final CutOffLog log;
    private ScheduledFuture<?> timer;
    private boolean installed;
    /** A decoded head whose body has not fully arrived yet. */
    private boolean requestOpen;
    /** An answer has started and not ended. */
    private boolean responseOpen;
    /** Bytes of a head not yet decoded have arrived. */
    private boolean partialHead;

    ConnectionGuard(long timeoutMillis, CutOffLog log) {
        this.timeoutMillis = timeoutMillis;
        this.log = log;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (install(ctx)) {
            arm(ctx);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!installed && !install(ctx)) {
            ctx.pipeline().remove(this);
        } else if (!requestOpen) {
            partialHead = true;
            if (timer == null) {
                arm(ctx);
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    /**
     * Hooks into Vert.x' HTTP/1 pipeline (its {@code httpDecoder}, {@code httpEncoder} and
     * {@code handler}) once it is there; false when this connection has none (TLS, whose pipeline
     * is built after the handshake), which is then left alone.
     */
    private boolean install(ChannelHandlerContext ctx) {
        if (installed) {
            return true;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.get("httpDecoder") == null || pipeline.get("httpEncoder") == null) {
            return false;
        }
        if (pipeline.get("handler") instanceof VertxHandler<?> vertx && vertx.getConnection() instanceof HttpServerConnection connection) {
            connection.invalidRequestHandler(CodecRejections::answer);
        }
        pipeline.addAfter("httpEncoder", DECODED, new Decoded());
        installed = true;
        return true;
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        timer = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive() || requestOpen) {
            return;
        }
        log.cutOff(timeoutMillis);
        ChannelHandlerContext decoded = ctx.pipeline().context(DECODED);
        if (!partialHead || responseOpen || decoded == null) {
            ctx.close();
            return;
        }
        byte[] body = ApiErrors.body(new ApiException(408, "invalid_request_error", "request_timeout",
                "The request headers were not received in time.", null, Optional.empty())).toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, "close");
        decoded.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Counts cut-offs across the connections of a server and logs the count at most once per
     * interval: a slow-client flood leaves a line per interval, not per connection.
     */
    static final class CutOffLog {

        private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

        private final GatewayClock clock;
        private final AtomicLong count = new AtomicLong();
        /** The first cut-off is logged at once. */
        private final AtomicLong lastLogNanos;

        CutOffLog(GatewayClock clock) {
            this.clock = clock;
            this.lastLogNanos = new AtomicLong(clock.nanoTime() - INTERVAL_NANOS);
        }

        void cutOff(long timeoutMillis) {
            long n = count.incrementAndGet();
            long last = lastLogNanos.get();
            long now = clock.nanoTime();
            if (now - last >= INTERVAL_NANOS && lastLogNanos.compareAndSet(last, now)) {
                count.addAndGet(-n);
                LOG.infof("%d connection(s) closed: request headers not received within %d ms", n, timeoutMillis);
            }
        }
    }

    /** Behind Vert.x' decoder and encoder: sees a head complete, a body end, an answer start and end. */
    private final class Decoded extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest) {
                disarm();
                partialHead = false;
                requestOpen = true;
            }
            if (msg instanceof LastHttpContent) {
                requestOpen = false;
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof HttpResponse) {
                responseOpen = true;
            }
            if (msg instanceof LastHttpContent) {
                responseOpen = false;
            }
            super.write(ctx, msg, promise);
        }
    }
}
