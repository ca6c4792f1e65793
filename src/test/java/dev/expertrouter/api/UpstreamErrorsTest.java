package dev.expertrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.Price;
import dev.expertrouter.experts.ExpertCallException;
import dev.expertrouter.experts.ExpertClient;
import dev.expertrouter.experts.ExpertEndpoints;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How an expert's failure reads to the client once fallbacks are exhausted. */
class UpstreamErrorsTest {

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRefusedGatewayKeyIsTheOperatorsProblemA502NamingTheExpert(int status) {
        ApiException e = UpstreamErrors.toApi(new ExpertCallException("med-expert", status, ExpertCallException.ERROR_STATUS,
                "Incorrect API key provided: sk-upstream-secret", Optional.empty()));
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.type()).isEqualTo("upstream_error");
        assertThat(e.code()).isEqualTo("upstream_error");
        assertThat(e.getMessage()).contains("med-expert").doesNotContain("sk-upstream-secret");
    }

    /** A port nothing listens on: bound once, then closed, so a connection to it is refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aDownExpertIsNamedWithoutItsAddressOrTheExceptionThatSaidSo() throws Exception {
        int port = closedPort();
        ExpertConfig down = new ExpertConfig("med-expert", "http://127.0.0.1:" + port + "/v1", "m", null, Map.of(),
                new Price(1, 1), Map.of("general", 0.5), 100, 8192, 5_000, 4, Optional.empty());
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        Vertx vertx = Vertx.vertx();
        try {
            ExpertClient client = new ExpertClient(vertx, new ExpertEndpoints(null));
            List<Throwable> failures = List.of(
                    failure(client.complete(down, body, "req-1", Duration.ofSeconds(5))),
                    failure(client.openStream(down, body.deepCopy().put("stream", true), "req-2", Duration.ofSeconds(5))));
            for (Throwable t : failures) {
                assertThat(t).isInstanceOf(ExpertCallException.class);
                ExpertCallException call = (ExpertCallException) t;
                assertThat(call.code()).isEqualTo(ExpertCallException.CONNECT);
                ApiException e = UpstreamErrors.toApi(call);
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.code()).isEqualTo("expert_unavailable");
                assertThat(e.getMessage()).isEqualTo("expert med-expert could not be reached");
                // what the caller could learn from the exception itself, had it been passed on
                for (String text : List.of(e.getMessage(), String.valueOf(call.getMessage()))) {
                    assertThat(text).doesNotContain("127.0.0.1").doesNotContain(Integer.toString(port)).doesNotContain("localhost")
                            .doesNotContain("Exception").doesNotContain("Connection refused").doesNotContain("io.");
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static Throwable failure(Uni<?> call) {
        try {
            call.await().atMost(Duration.ofSeconds(15));
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("a call to a closed port succeeded");
    }

    @Test
    void theExpertsVerdictOnTheRequestKeepsItsStatus() {
        ApiException e = UpstreamErrors.toApi(new ExpertCallException("x", 422, ExpertCallException.ERROR_STATUS,
                "bad tool schema", Optional.empty()));
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.type()).isEqualTo("invalid_request_error");
    }
}
