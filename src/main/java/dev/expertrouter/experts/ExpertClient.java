package dev.expertrouter.experts;

import dev.expertrouter.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ExpertConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls any OpenAI-compatible {@code /chat/completions} endpoint: non-blocking, pooled keep-alive
 * connections, the request id forwarded, credentials from env vars. Upstream answers are checked,
 * never trusted: a body that is not the expected JSON is a failure, not a crash.
 *
 * <p>Each returned {@link Uni} is lazy: every subscription is a fresh HTTP call, which is what the
 * fault-tolerance layer's retries rely on; cancelling it resets the upstream request.
 */
@ApplicationScoped
public class ExpertClient {

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ExpertClient.class);
    private static final int MAX_ERROR_MESSAGE = 500;
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final LoopLocalClients http;
    private final ExpertEndpoints endpoints;

    public ExpertClient(Vertx vertx, ExpertEndpoints endpoints) {
        this.endpoints = endpoints;
        this.http = new LoopLocalClients(() -> vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(60).setConnectTimeout(5_000)
                        .setMaxInitialLineLength(8192).setTryUseCompression(false),
                new PoolOptions().setHttp1MaxSize(256).setMaxWaitQueueSize(1024)));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** A complete answer; {@code timeout} bounds the whole attempt. */
    public Uni<ExpertReply> complete(ExpertConfig expert, ObjectNode body, String requestId, Duration timeout) {
        return Uni.createFrom().<ExpertReply>emitter(em -> {
            AtomicBoolean done = new AtomicBoolean();
            send(expert, body, requestId, timeout, em, done, (req, resp) -> boundedBody(req, resp, expert)
                    .onSuccess(buf -> {
                        if (resp.statusCode() >= 300) {
                            failWith(em, done, errorFrom(expert, resp, buf));
                            return;
                        }
                        try {
                            JsonNode node = JSON.readTree(buf.getBytes());
                            if (node == null || !node.isObject() || !node.path("choices").isArray()) {
                                throw new IllegalArgumentException("no 'choices' array");
                            }
                            if (done.compareAndSet(false, true)) {
                                em.complete(new ExpertReply(expert.id(), (ObjectNode) node, Usage.from(node.get("usage")), buf));
                            }
                        } catch (Exception e) {
                            failWith(em, done, new ExpertCallException(expert.id(), resp.statusCode(), ExpertCallException.INVALID_RESPONSE,
                                    "expert " + expert.id() + " answered with an invalid completion body", Optional.empty()));
                        }
                    })
                    .onFailure(t -> failWith(em, done, transportFailure(expert, t))));
        }).ifNoItem().after(timeout).failWith(() -> timeoutFailure(expert, timeout));
    }

    /**
     * Opens a streamed answer. The Uni completes when the first chunk arrived, so any failure up to
     * then (connect, error status, malformed or empty stream, timeout) is still a plain failure that
     * may fall back; {@code timeout} bounds the time to that first chunk and, as an idle timeout,
     * each gap between chunks after it.
     */
    public Uni<ExpertStream> openStream(ExpertConfig expert, ObjectNode body, String requestId, Duration timeout) {
        return Uni.createFrom().<ExpertStream>emitter(em -> {
            AtomicBoolean done = new AtomicBoolean();
            send(expert, body, requestId, timeout, em, done, (req, resp) -> {
                if (resp.statusCode() >= 300) {
                    boundedBody(req, resp, expert).onSuccess(buf -> failWith(em, done, errorFrom(expert, resp, buf)))
                            .onFailure(t -> failWith(em, done, transportFailure(expert, t)));
                    return;
                }
                SseParser parser = new SseParser();
                resp.exceptionHandler(t -> failWith(em, done, transportFailure(expert, t)));
                resp.endHandler(v -> failWith(em, done, new ExpertCallException(expert.id(), resp.statusCode(),
                        ExpertCallException.INVALID_RESPONSE, "expert " + expert.id() + " ended the stream before any chunk", Optional.empty())));
                resp.handler(buf -> {
                    List<String> events;
                    try {
                        events = parser.feed(buf.getBytes());
                    } catch (IllegalStateException e) {
                        failWith(em, done, new ExpertCallException(expert.id(), 0, ExpertCallException.INVALID_RESPONSE, e.getMessage(), Optional.empty()));
                        return;
                    }
                    if (!events.isEmpty() && !isChunkObject(events.get(0))) {
                        // nothing reached the client yet: a bad first chunk may still fall back
                        failWith(em, done, new ExpertCallException(expert.id(), resp.statusCode(), ExpertCallException.INVALID_RESPONSE,
                                "expert " + expert.id() + " began its stream with something that is not a JSON chunk", Optional.empty()));
                        req.reset();
                        return;
                    }
                    if (!events.isEmpty() && done.compareAndSet(false, true)) {
                        resp.pause();
                        resp.handler(null);
                        resp.endHandler(null);
                        resp.exceptionHandler(null);
                        em.complete(new ExpertStream(expert.id(), req, resp, parser, events));
                    }
                });
            });
        }).ifNoItem().after(timeout).failWith(() -> timeoutFailure(expert, timeout));
    }

    /**
     * The whole response body, refused past {@link #MAX_BODY_BYTES}: an expert that sends without
     * end must not exhaust the gateway's memory.
     */
    private static io.vertx.core.Future<Buffer> boundedBody(HttpClientRequest req, HttpClientResponse resp, ExpertConfig expert) {
        io.vertx.core.Promise<Buffer> promise = io.vertx.core.Promise.promise();
        Buffer body = Buffer.buffer();
        resp.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                if (promise.tryFail(new ExpertCallException(expert.id(), resp.statusCode(), ExpertCallException.INVALID_RESPONSE,
                        "expert " + expert.id() + " sent a body larger than " + MAX_BODY_BYTES + " bytes", Optional.empty()))) {
                    req.reset();
                }
                return;
            }
            body.appendBuffer(chunk);
        });
        resp.exceptionHandler(promise::tryFail);
        resp.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }

    private interface OnResponse {
        void accept(HttpClientRequest request, HttpClientResponse response);
    }

    private <T> void send(ExpertConfig expert, ObjectNode body, String requestId, Duration timeout,
            UniEmitter<? super T> em, AtomicBoolean done, OnResponse onResponse) {
        String url;
        try {
            url = endpoints.baseUrl(expert) + "/chat/completions";
        } catch (ExpertCallException e) {
            failWith(em, done, e);
            return;
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setIdleTimeout(Math.max(1, timeout.toMillis()))
                .setConnectTimeout(Math.min(5_000, Math.max(1, timeout.toMillis())))
                .putHeader("content-type", "application/json")
                .putHeader("accept", body.path("stream").asBoolean(false) ? "text/event-stream" : "application/json")
                .putHeader("x-request-id", requestId);
        endpoints.headers(expert).forEach(options::putHeader);
        Buffer payload;
        try {
            // straight to UTF-8 bytes: toString() would build a String only to encode it again
            payload = Buffer.buffer(JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            failWith(em, done, transportFailure(expert, e));
            return;
        }
        java.util.concurrent.atomic.AtomicReference<HttpClientRequest> current = new java.util.concurrent.atomic.AtomicReference<>();
        em.onTermination(() -> {
            HttpClientRequest req = current.get();
            if (!done.get() && req != null) {
                req.reset();
            }
        });
        http.current().request(options)
                .onFailure(t -> failWith(em, done, transportFailure(expert, t)))
                .onSuccess(req -> {
                    current.set(req);
                    if (done.get()) {
                        req.reset();
                        return;
                    }
                    req.send(payload)
                            .onSuccess(resp -> onResponse.accept(req, resp))
                            .onFailure(t -> failWith(em, done, transportFailure(expert, t)));
                });
    }

    private static void failWith(UniEmitter<?> em, AtomicBoolean done, ExpertCallException e) {
        if (done.compareAndSet(false, true)) {
            em.fail(e);
        }
    }

    private static ExpertCallException timeoutFailure(ExpertConfig expert, Duration timeout) {
        return new ExpertCallException(expert.id(), 0, ExpertCallException.TIMEOUT,
                "expert " + expert.id() + " did not answer within " + timeout.toMillis() + " ms", Optional.empty());
    }

    private static ExpertCallException transportFailure(ExpertConfig expert, Throwable t) {
        if (t instanceof ExpertCallException e) {
            return e;
        }
        boolean timeout = t instanceof java.util.concurrent.TimeoutException
                || (t.getMessage() != null && t.getMessage().toLowerCase().contains("timeout"));
        // the cause (class, address) is for the operator's log, never for the client
        LOG.debugf("expert %s: %s %s", expert.id(), t.getClass().getName(), t.getMessage());
        return new ExpertCallException(expert.id(), 0, timeout ? ExpertCallException.TIMEOUT : ExpertCallException.CONNECT,
                "expert " + expert.id() + (timeout ? " timed out" : " could not be reached"), Optional.empty());
    }

    /** The expert's own error, message taken from its OpenAI error body when it sent one. */
    private static ExpertCallException errorFrom(ExpertConfig expert, HttpClientResponse resp, Buffer buf) {
        String message = null;
        try {
            JsonNode node = JSON.readTree(buf.getBytes());
            if (node != null && node.path("error").path("message").isTextual()) {
                message = node.path("error").path("message").asText();
            }
        } catch (Exception ignored) {
            // not JSON: fall through to the status line
        }
        if (message == null) {
            message = "HTTP " + resp.statusCode() + (resp.statusMessage() == null ? "" : " " + resp.statusMessage());
        }
        if (message.length() > MAX_ERROR_MESSAGE) {
            message = message.substring(0, MAX_ERROR_MESSAGE) + "...";
        }
        return new ExpertCallException(expert.id(), resp.statusCode(), ExpertCallException.ERROR_STATUS,
                "expert " + expert.id() + ": " + message, retryAfter(resp.getHeader("retry-after")));
    }

    private static boolean isChunkObject(String data) {
        try {
            JsonNode node = JSON.readTree(data);
            return node != null && node.isObject() && !node.has("error");
        } catch (Exception e) {
            return false;
        }
    }

    static Optional<Integer> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds >= 0 ? Optional.of((int) Math.min(seconds, TimeUnit.HOURS.toSeconds(1))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
