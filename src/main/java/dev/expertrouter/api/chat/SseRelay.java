package dev.expertrouter.api.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.api.ApiErrors;
import dev.expertrouter.api.ApiException;
import dev.expertrouter.experts.ExpertCallException;
import dev.expertrouter.experts.ExpertStream;
import dev.expertrouter.experts.Usage;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Relays an expert's Server-Sent Events to the client as they come, with back-pressure: when the
 * client reads slower than the expert writes, the expert's stream pauses. The stream ends with
 * {@code data: [DONE]}, or, when the expert breaks after the first byte (too late to fall back),
 * with one {@code stream_interrupted} error event and no {@code [DONE]}.
 */
final class SseRelay {

    private static final Logger LOG = Logger.getLogger(SseRelay.class);

    /** How the relay ends, for the request's outcome. */
    interface Ending {
        void ended(int status, String errorCode, Usage usage);
    }

    private SseRelay() {
    }

    /** Writes the SSE head and relays {@code stream} to {@code response} until it ends. */
    static void relay(String requestId, ExpertStream stream, HttpServerResponse response, boolean callerWantsUsage, Ending ending) {
        response.setStatusCode(200).setChunked(true)
                .putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        stream.start(new ExpertStream.Listener() {
            @Override
            public void onChunk(ObjectNode chunk, String raw) {
                if (UsageShaping.isUnrequestedUsageChunk(chunk, callerWantsUsage)) {
                    return;
                }
                response.write("data: " + raw + "\n\n");
                if (response.writeQueueFull()) {
                    stream.pause();
                    response.drainHandler(v -> stream.resume());
                }
            }

            @Override
            public void onDone(Usage usage) {
                // the outcome is recorded before the stream's end leaves, so feedback can never arrive first
                ending.ended(200, null, usage);
                response.end("data: [DONE]\n\n");
            }

            @Override
            public void onError(ExpertCallException failure) {
                LOG.warnf("request %s: stream from %s broke after the first chunk: %s", requestId, failure.expert(), failure.getMessage());
                ApiException error = ApiException.upstream(502, ExpertCallException.STREAM_INTERRUPTED,
                        "The expert's stream was interrupted: " + failure.getMessage(), Optional.empty());
                ending.ended(502, ExpertCallException.STREAM_INTERRUPTED, Usage.NONE);
                response.end("data: " + ApiErrors.body(error) + "\n\n");
            }
        });
    }
}
