package dev.expertrouter.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Vert.x HTTP server with a one-second idle timeout, as Quarkus configures it from
 * {@code quarkus.http.idle-timeout}, and calls that answer after three seconds of silence: the
 * idle timeout cuts the plain one (what happened to {@code POST /admin/router/retrain}) and spares
 * the exempt one, whose connection then closes with its answer.
 */
class IdleTimeoutExemptionTest {

    private static final long SILENCE_MS = 3_000;

    private Vertx vertx;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.post("/plain").handler(ctx -> answerLater(ctx, "plain"));
        router.post("/exempt").handler(ctx -> {
            boolean removed = IdleTimeoutExemption.exempt(ctx);
            answerLater(ctx, "exempt removed=" + removed);
        });
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setIdleTimeout(1).setIdleTimeoutUnit(TimeUnit.SECONDS));
        port = server.requestHandler(router).listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void answerLater(RoutingContext ctx, String body) {
        vertx.setTimer(SILENCE_MS, t -> ctx.response().end(body));
    }

    private HttpResponse<String> post(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theIdleTimeoutCutsASilentCallThatIsNotExempt() {
        // proves the setup reproduces the cut the exemption is for
        assertThatThrownBy(() -> post("/plain")).isInstanceOf(IOException.class);
    }

    @Test
    void anExemptCallIsAnsweredAfterTheIdleTimeoutAndItsConnectionCloses() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> answer = post("/exempt");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("exempt removed=true");
        assertThat(answer.headers().firstValue("connection")).hasValue("close");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(SILENCE_MS));
    }
}
