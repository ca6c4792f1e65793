package dev.expertrouter.experts;

import dev.expertrouter.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * An expert's answer as it streams. It exists only once the first chunk arrived, so everything
 * before that (connect, status, first token) can still fall back to another expert; from then on
 * the caller consumes the chunks through a {@link Listener}.
 */
public final class ExpertStream {

    /** Receives the chunks; called on the upstream connection's event loop. */
    public interface Listener {
        void onChunk(ObjectNode chunk, String raw);

        void onDone(Usage usage);

        void onError(ExpertCallException failure);
    }

    private static final ObjectMapper JSON = Json.MAPPER;

    private final String expert;
    private final HttpClientRequest request;
    private final HttpClientResponse response;
    private final SseParser parser;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private Listener listener;
    private Usage usage = Usage.NONE;
    private boolean finishSeen;
    private boolean ended;
    private Runnable onEnded = () -> { };

    ExpertStream(String expert, HttpClientRequest request, HttpClientResponse response, SseParser parser, List<String> buffered) {
        this.expert = expert;
        this.request = request;
        this.response = response;
        this.parser = parser;
        this.pending.addAll(buffered);
    }

    public String expert() {
        return expert;
    }

    /** Starts delivery: the chunks buffered so far, then the rest as they arrive. */
    public synchronized void start(Listener l) {
        this.listener = l;
        response.handler(buf -> deliver(parseSafely(buf.getBytes())));
        response.exceptionHandler(t -> fail(new ExpertCallException(expert, 0, t instanceof java.util.concurrent.TimeoutException
                ? ExpertCallException.TIMEOUT : ExpertCallException.STREAM_INTERRUPTED, "stream from " + expert + " broke: " + t.getMessage(), Optional.empty())));
        response.endHandler(v -> {
            deliver(parser.finish());
            if (!ended) {
                if (finishSeen) {
                    end();
                } else {
                    fail(new ExpertCallException(expert, 0, ExpertCallException.STREAM_INTERRUPTED, "stream from " + expert + " ended before the answer was complete", Optional.empty()));
                }
            }
        });
        List<String> first = List.copyOf(pending);
        pending.clear();
        deliver(first);
        if (!ended) {
            response.resume();
        }
    }

    /** Runs once when the stream ends: done, failed or cancelled. */
    public synchronized void whenEnded(Runnable hook) {
        Runnable previous = onEnded;
        onEnded = () -> {
            previous.run();
            hook.run();
        };
        if (ended) {
            runEndHooks();
        }
    }

    private void runEndHooks() {
        Runnable hooks = onEnded;
        onEnded = () -> { };
        hooks.run();
    }

    /** Backpressure from a slow client. */
    public void pause() {
        response.pause();
    }

    public void resume() {
        response.resume();
    }

    /** Stops the upstream call (client went away, or the gateway gave up). */
    public synchronized void cancel() {
        if (!ended) {
            ended = true;
            request.reset();
            runEndHooks();
        }
    }

    private List<String> parseSafely(byte[] bytes) {
        try {
            return parser.feed(bytes);
        } catch (IllegalStateException e) {
            fail(new ExpertCallException(expert, 0, ExpertCallException.INVALID_RESPONSE, e.getMessage(), Optional.empty()));
            return List.of();
        }
    }

    private synchronized void deliver(List<String> events) {
        for (String data : events) {
            if (ended) {
                return;
            }
            if ("[DONE]".equals(data.trim())) {
                end();
                return;
            }
            JsonNode node;
            try {
                node = JSON.readTree(data);
            } catch (Exception e) {
                node = null;
            }
            if (node == null || !node.isObject()) {
                fail(new ExpertCallException(expert, 0, ExpertCallException.INVALID_RESPONSE, "expert " + expert + " sent a chunk that is not a JSON object", Optional.empty()));
                return;
            }
            if (node.has("error")) {
                fail(new ExpertCallException(expert, 0, ExpertCallException.STREAM_INTERRUPTED, "expert " + expert + " reported an error mid-stream: " + node.path("error").path("message").asText(""), Optional.empty()));
                return;
            }
            if (node.has("usage") && node.get("usage").isObject()) {
                usage = Usage.from(node.get("usage"));
            }
            for (JsonNode choice : node.path("choices")) {
                if (choice.hasNonNull("finish_reason")) {
                    finishSeen = true;
                }
            }
            listener.onChunk((ObjectNode) node, data);
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
            runEndHooks();
            listener.onDone(usage);
        }
    }

    private synchronized void fail(ExpertCallException e) {
        if (!ended) {
            ended = true;
            request.reset();
            runEndHooks();
            listener.onError(e);
        }
    }
}
