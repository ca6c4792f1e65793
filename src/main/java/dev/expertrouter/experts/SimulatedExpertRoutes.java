package dev.expertrouter.experts;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.SimulatedConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Serves the simulated experts at {@code /sim/<id>/v1/chat/completions} on the gateway's own port:
 * OpenAI-compatible, with the latency, error rate and pacing their YAML gives. Timers, never
 * sleeps, so thousands of simulated calls cost no threads.
 */
@ApplicationScoped
public class SimulatedExpertRoutes {

    private static final ObjectMapper JSON = Json.MAPPER;

    private final ConfigHolder config;
    private final Vertx vertx;
    private final GatewayClock clock;
    private final SplittableRandom seed = new SplittableRandom();

    public SimulatedExpertRoutes(ConfigHolder config, Vertx vertx, GatewayClock clock) {
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
    }

    void register(@Observes Router router) {
        router.post(ExpertEndpoints.SIMULATED_PREFIX + ":expert/v1/chat/completions")
                // callers are checked before any body is read (api.SimulatedExpertGuard); uploads are never stored
                .handler(BodyHandler.create(false).setHandleFileUploads(false).setBodyLimit(8 * 1024 * 1024))
                .handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        Optional<ExpertConfig> expert = config.current().expert(ctx.pathParam("expert")).filter(ExpertConfig::isSimulated);
        if (expert.isEmpty()) {
            error(response, 404, "not_found_error", "model_not_found", "no simulated expert named " + ctx.pathParam("expert"));
            return;
        }
        JsonNode request;
        try {
            request = JSON.readTree(ctx.body().buffer().getBytes());
        } catch (Exception e) {
            request = null;
        }
        if (request == null || !request.isObject() || !request.path("messages").isArray()) {
            error(response, 400, "invalid_request_error", "invalid_json", "expected a chat completions JSON body");
            return;
        }
        SimulatedExpert sim;
        synchronized (seed) {
            sim = new SimulatedExpert(expert.get(), seed.split());
        }
        String id = "chatcmpl-sim-" + UUID.randomUUID();
        long created = clock.now().getEpochSecond();
        JsonNode body = request;
        SimulatedExpert.Fault fault = sim.fault();
        if (fault == SimulatedExpert.Fault.HANG) {
            return; // never answered: the caller's timeout has to handle it
        }
        long delay = sim.latencyMs();
        boolean streamed = body.path("stream").asBoolean(false);
        Runnable answer = () -> {
            if (response.closed()) {
                return;
            }
            switch (fault) {
                case RESET -> ctx.request().connection().close();
                case ERROR -> injectedError(response, sim.config(), expert.get().id());
                case MALFORMED -> {
                    if (streamed) {
                        stream(ctx, sim, body, id, created, Cut.MALFORMED);
                    } else {
                        response.putHeader("content-type", "application/json").end("{\"id\": \"" + id + "\", \"choices\": [");
                    }
                }
                default -> {
                    if (streamed) {
                        stream(ctx, sim, body, id, created, sim.dropsStream() ? Cut.DROP : Cut.NONE);
                    } else {
                        response.putHeader("content-type", "application/json").end(sim.completion(body, id, created).toString());
                    }
                }
            }
        };
        if (delay <= 0) {
            answer.run();
        } else {
            vertx.setTimer(delay, t -> answer.run());
        }
    }

    /** How a simulated stream ends early, if it does. */
    private enum Cut {
        NONE, DROP, MALFORMED
    }

    private static void injectedError(HttpServerResponse response, SimulatedConfig sim, String expert) {
        int status = sim.errorStatus();
        if ((status == 429 || status == 503) && sim.retryAfterSeconds() > 0) {
            response.putHeader("retry-after", Integer.toString(sim.retryAfterSeconds()));
        }
        if (status == 429) {
            error(response, status, "rate_limit_error", "rate_limit_exceeded", "simulated expert " + expert + " is rate limiting");
        } else if (status >= 500) {
            error(response, status, "server_error", "overloaded", "simulated expert " + expert + " is overloaded");
        } else {
            error(response, status, "invalid_request_error", "simulated_rejection", "simulated expert " + expert + " rejected the request");
        }
    }

    private void stream(RoutingContext ctx, SimulatedExpert sim, JsonNode request, String id, long created, Cut cut) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        int total = sim.outputTokens(request);
        int perChunk = sim.tokensPerChunk();
        boolean usage = request.path("stream_options").path("include_usage").asBoolean(false);
        int[] next = {0};
        int[] sent = {0};
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            if (response.closed()) {
                return;
            }
            if (cut != Cut.NONE && sent[0] >= sim.config().dropAfterChunks()) {
                if (cut == Cut.MALFORMED) {
                    response.end("data: {\"choices\": [\n\n");
                } else {
                    // closing the connection (not reset()) also ends the request for graceful shutdown
                    ctx.request().connection().close();
                }
                return;
            }
            sent[0]++;
            StringBuilder text = new StringBuilder();
            int end = Math.min(total, next[0] + perChunk);
            for (int i = next[0]; i < end; i++) {
                text.append(sim.token(i));
            }
            boolean first = next[0] == 0;
            next[0] = end;
            write(response, sim.chunk(id, created, text.toString(), first, null).toString());
            if (next[0] < total) {
                vertx.setTimer(sim.chunkDelayMs(), t -> step[0].run());
                return;
            }
            write(response, sim.chunk(id, created, null, false, sim.finishReason(request)).toString());
            if (usage) {
                write(response, sim.usageChunk(request, id, created).toString());
            }
            response.end("data: [DONE]\n\n");
        };
        step[0].run();
    }

    private static void write(HttpServerResponse response, String json) {
        response.write("data: " + json + "\n\n");
    }

    private static void error(HttpServerResponse response, int status, String type, String code, String message) {
        var root = JSON.createObjectNode();
        var error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        response.setStatusCode(status).putHeader("content-type", "application/json").end(root.toString());
    }
}
