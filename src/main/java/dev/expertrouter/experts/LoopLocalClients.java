package dev.expertrouter.experts;

import io.vertx.core.Context;
import io.vertx.core.http.HttpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One upstream HTTP client, and so one keep-alive pool, per event loop, as Envoy gives each worker
 * its own connection pools. Vert.x binds a connection to the event loop that opened it; with one
 * shared pool a request on loop A is often lent a connection of loop B, and the call then crosses
 * threads five times (lease, request head, response head, body, flow-control ack), each a wake-up
 * through an eventfd. A request here is sent on a connection its own loop opened, so the whole call
 * stays on the thread that received it. Callers off an event loop (worker threads, tests) share one
 * more client. The pool's size limit therefore applies per loop; what bounds an expert's calls in
 * flight is its {@code max-concurrency} (the bulkhead), before any connection is asked for.
 */
final class LoopLocalClients implements AutoCloseable {

    private final Supplier<HttpClient> factory;
    private final ThreadLocal<HttpClient> perLoop = new ThreadLocal<>();
    private final List<HttpClient> all = new CopyOnWriteArrayList<>();
    private HttpClient offLoop; // guarded by this
    private volatile boolean closed;

    LoopLocalClients(Supplier<HttpClient> factory) {
        this.factory = factory;
    }

    /** The calling event loop's client, or the shared one off an event loop. */
    HttpClient current() {
        if (closed) {
            throw new IllegalStateException("the expert client is closed");
        }
        if (!Context.isOnEventLoopThread()) {
            return shared();
        }
        HttpClient client = perLoop.get();
        if (client == null) {
            client = created();
            perLoop.set(client);
        }
        return client;
    }

    private synchronized HttpClient shared() {
        if (offLoop == null) {
            offLoop = created();
        }
        return offLoop;
    }

    private HttpClient created() {
        HttpClient client = factory.get();
        all.add(client);
        return client;
    }

    @Override
    public void close() {
        closed = true;
        all.forEach(HttpClient::close);
    }
}
