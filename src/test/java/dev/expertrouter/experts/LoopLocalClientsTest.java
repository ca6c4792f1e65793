package dev.expertrouter.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.Price;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each event loop calls experts over connections it opened itself. */
class LoopLocalClientsTest {

    private static final String COMPLETION = """
            {"id": "c", "object": "chat.completion", "model": "m",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}""";

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void callsFromTwoLoopsTakeTurnsEachOnItsOwnKeepAliveConnection() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        HttpServer upstream = vertx.createHttpServer()
                .connectionHandler(c -> connections.incrementAndGet())
                .requestHandler(req -> req.body().onSuccess(b -> {
                    requests.incrementAndGet();
                    req.response().putHeader("content-type", "application/json").end(COMPLETION);
                }));
        int port = upstream.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        ExpertConfig expert = new ExpertConfig("e", "http://127.0.0.1:" + port + "/v1", "m", null, Map.of(),
                new Price(1, 1), Map.of("general", 0.5), 100, 8192, 5_000, 4, Optional.empty());
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        ExpertClient client = new ExpertClient(vertx, new ExpertEndpoints(null));
        List<Context> loops = twoLoops();

        // one call at a time, alternating loops: a shared pool would lend loop B the connection
        // loop A left idle (one connection in all); here each loop keeps its own
        for (int i = 0; i < 6; i++) {
            Context loop = loops.get(i % 2);
            CompletableFuture<ExpertReply> reply = new CompletableFuture<>();
            loop.runOnContext(v -> client.complete(expert, body, "req-" + reply.hashCode(), Duration.ofSeconds(5))
                    .subscribe().with(reply::complete, reply::completeExceptionally));
            assertThat(reply.get(10, TimeUnit.SECONDS).expert()).isEqualTo("e");
        }
        assertThat(requests.get()).isEqualTo(6);
        assertThat(connections.get()).isEqualTo(2);
        client.close();
    }

    @Test
    void oneClientPerLoopAndOneSharedOffTheLoops() throws Exception {
        List<HttpClient> made = new CopyOnWriteArrayList<>(); // the factory runs on the loops
        LoopLocalClients clients = new LoopLocalClients(() -> {
            HttpClient c = vertx.createHttpClient();
            made.add(c);
            return c;
        });
        List<Context> loops = twoLoops();
        HttpClient a1 = onLoop(loops.get(0), clients);
        HttpClient a2 = onLoop(loops.get(0), clients);
        HttpClient b = onLoop(loops.get(1), clients);
        HttpClient off1 = clients.current();
        HttpClient off2 = clients.current();

        assertThat(a1).isSameAs(a2);
        assertThat(b).isNotSameAs(a1);
        assertThat(off1).isSameAs(off2).isNotSameAs(a1).isNotSameAs(b);
        assertThat(made).hasSize(3);

        clients.close();
        assertThatThrownBy(() -> onLoop(loops.get(0), clients)).hasRootCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(clients::current).isInstanceOf(IllegalStateException.class);
    }

    /** The contexts of two verticle instances: event loops on different threads. */
    private List<Context> twoLoops() throws Exception {
        List<Context> loops = new CopyOnWriteArrayList<>();
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                loops.add(context);
            }
        }, new DeploymentOptions().setInstances(2)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<Thread> threads = new ArrayList<>();
        for (Context c : loops) {
            CompletableFuture<Thread> t = new CompletableFuture<>();
            c.runOnContext(v -> t.complete(Thread.currentThread()));
            threads.add(t.get(10, TimeUnit.SECONDS));
        }
        assertThat(threads).doesNotHaveDuplicates().hasSize(2);
        return loops;
    }

    private static HttpClient onLoop(Context loop, LoopLocalClients clients) throws Exception {
        CompletableFuture<HttpClient> client = new CompletableFuture<>();
        loop.runOnContext(v -> {
            try {
                client.complete(clients.current());
            } catch (RuntimeException e) {
                client.completeExceptionally(e);
            }
        });
        return client.get(10, TimeUnit.SECONDS);
    }
}
