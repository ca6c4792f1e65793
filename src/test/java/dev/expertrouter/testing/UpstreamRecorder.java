package dev.expertrouter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.expertrouter.experts.ExpertEndpoints;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the simulated experts were sent, as they received it: a test bean that sits in front of
 * {@code /sim/*} and passes every call on unchanged. Only calls whose request id starts with
 * {@link #PREFIX} are kept (the gateway forwards the caller's {@code x-request-id}), so memory
 * stays bounded and a test reads nothing another test sent.
 */
@ApplicationScoped
public class UpstreamRecorder {

    public static final String PREFIX = "recorded-";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call as an expert received it. */
    public record Call(String expert, JsonNode body) {
    }

    private final Map<String, List<Call>> calls = new ConcurrentHashMap<>();
    private final Set<String> abandoned = ConcurrentHashMap.newKeySet();

    void register(@Observes Router router) {
        // before the simulated experts' own route; their body handler sees the body already read
        router.post(ExpertEndpoints.SIMULATED_PREFIX + ":expert/v1/chat/completions").order(-10)
                // like every body handler of the gateway: never store an upload (TenancyEndToEndTest checks)
                .handler(BodyHandler.create(false).setHandleFileUploads(false).setBodyLimit(8 * 1024 * 1024))
                .handler(this::record);
    }

    private void record(RoutingContext ctx) {
        String id = ctx.request().getHeader("x-request-id");
        if (id != null && id.startsWith(PREFIX)) {
            HttpServerResponse response = ctx.response();
            response.closeHandler(v -> {
                if (!response.ended()) {
                    abandoned.add(id);
                }
            });
            try {
                JsonNode body = JSON.readTree(ctx.body().buffer().getBytes());
                calls.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(new Call(ctx.pathParam("expert"), body));
            } catch (IOException | RuntimeException e) {
                calls.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(new Call(ctx.pathParam("expert"), null));
            }
        }
        ctx.next();
    }

    /** The calls made for one request id, in order (more than one after a retry or fallback). */
    public List<Call> calls(String requestId) {
        return List.copyOf(calls.getOrDefault(requestId, List.of()));
    }

    /** Whether the gateway hung up on an expert before the expert had finished answering this request. */
    public boolean abandoned(String requestId) {
        return abandoned.contains(requestId);
    }

    /** The one call made for a request id that was answered at the first attempt. */
    public Call onlyCall(String requestId) {
        List<Call> made = calls(requestId);
        if (made.size() != 1) {
            throw new AssertionError("expected exactly one upstream call for " + requestId + ", got " + made.size());
        }
        return made.get(0);
    }
}
