package dev.expertrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.GatewayClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The header-read timeout on a Netty pipeline shaped like Vert.x' ({@code httpDecoder},
 * {@code httpEncoder}, then the application), with the event loop's clock driven by the test.
 */
class ConnectionGuardTest {

    private static final long TIMEOUT_MS = 1000;

    /** Answers every complete request with a 200, as the application would. */
    private static final class Answering extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof LastHttpContent) {
                FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
                ok.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
                ctx.writeAndFlush(ok);
            }
            ReferenceCountUtil.release(msg);
        }
    }

    private static EmbeddedChannel connection() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast(ConnectionGuard.NAME, new ConnectionGuard(TIMEOUT_MS, new ConnectionGuard.CutOffLog(GatewayClock.SYSTEM)))
                        .addLast("httpDecoder", new HttpRequestDecoder())
                        .addLast("httpEncoder", new HttpResponseEncoder())
                        .addLast("handler", new Answering());
            }
        });
        ch.freezeTime();
        return ch;
    }

    private static void send(EmbeddedChannel ch, String bytes) {
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    private static String written(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            if (o instanceof ByteBuf b) {
                out.append(b.toString(StandardCharsets.UTF_8));
            }
            ReferenceCountUtil.release(o);
        }
        return out.toString();
    }

    @Test
    void aHeadDribbledByteByByteIsCutOffWith408AtTheTimeout() {
        EmbeddedChannel ch = connection();
        String head = "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        int sent = 0;
        // one byte every 100 ms: each byte arrives well within any read-idle timeout
        while (ch.isOpen() && sent < head.length()) {
            send(ch, head.substring(sent, sent + 1));
            sent++;
            advance(ch, 100);
        }
        assertThat(ch.isOpen()).isFalse();
        assertThat(sent).as("bytes sent before the cut").isEqualTo((int) (TIMEOUT_MS / 100));
        String answer = written(ch);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"")
                .contains("\"type\":\"invalid_request_error\"").containsIgnoringCase("connection: close");
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithoutAnAnswer() {
        EmbeddedChannel ch = connection();
        advance(ch, TIMEOUT_MS - 1);
        assertThat(ch.isOpen()).isTrue();
        advance(ch, 2);
        assertThat(ch.isOpen()).isFalse();
        assertThat(written(ch)).isEmpty();
    }

    @Test
    void aKeptAliveConnectionMayWaitBetweenRequestsButNotWithinAHead() {
        EmbeddedChannel ch = connection();
        send(ch, "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written(ch)).startsWith("HTTP/1.1 200");
        advance(ch, 20 * TIMEOUT_MS);
        assertThat(ch.isOpen()).as("idle between requests: the idle timeout's job").isTrue();
        send(ch, "GET /v1/models HTTP/1.1\r\nHo");
        advance(ch, TIMEOUT_MS - 1);
        assertThat(ch.isOpen()).isTrue();
        send(ch, "st: x\r\n\r\n");
        assertThat(written(ch)).startsWith("HTTP/1.1 200");
        send(ch, "GET /v1/models HTTP/1.1\r\nHo");
        advance(ch, TIMEOUT_MS + 1);
        assertThat(ch.isOpen()).isFalse();
        assertThat(written(ch)).startsWith("HTTP/1.1 408");
    }

    @Test
    void aSlowBodyIsLeftToTheBodyReadTimeout() {
        EmbeddedChannel ch = connection();
        send(ch, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12");
        advance(ch, 5 * TIMEOUT_MS);
        assertThat(ch.isOpen()).isTrue();
        send(ch, "34567890");
        assertThat(written(ch)).startsWith("HTTP/1.1 200");
    }
}
