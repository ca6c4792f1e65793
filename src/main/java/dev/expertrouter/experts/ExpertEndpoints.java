package dev.expertrouter.experts;

import dev.expertrouter.config.Environment;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.RouterSettings;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where each expert is reached and with which credentials. Secrets are read from the env vars the
 * expert names at call time, so rotating a key needs no reload and no key is ever held in config.
 */
@ApplicationScoped
public class ExpertEndpoints {

    /** Path prefix of the simulated experts the gateway serves itself. */
    public static final String SIMULATED_PREFIX = "/sim/";

    private final RouterSettings settings;
    private final Function<String, String> env;
    private volatile int port = -1;
    /**
     * The key the gateway calls its own simulated experts with: random per process, never logged
     * or configured, so the {@code /sim} routes take no call but the gateway's and its tenants'.
     */
    private final byte[] simulatedKey = randomKey();

    public ExpertEndpoints(RouterSettings settings) {
        this.settings = settings;
        this.env = Environment::variable;
    }

    void onHttpStart(@ObservesAsync HttpServerStart event) {
        if (event.options().getPort() > 0 && port < 0) {
            port = event.options().getPort();
        }
    }

    /**
     * The port a request reached the gateway on. Start-up events do not carry the real port when
     * it was chosen at random (port 0), so the first request served settles it.
     */
    public void observeLocalPort(int localPort) {
        if (port != localPort && localPort > 0) {
            port = localPort;
        }
    }

    /** Base URL ending before {@code /chat/completions}. */
    public String baseUrl(ExpertConfig expert) {
        if (!expert.isSimulated()) {
            return expert.baseUrl();
        }
        if (port < 0) {
            throw new ExpertCallException(expert.id(), 0, ExpertCallException.CONNECT, "the gateway's HTTP port is not known yet", java.util.Optional.empty());
        }
        return "http://" + settings.simulatedHost() + ":" + port + SIMULATED_PREFIX + expert.id() + "/v1";
    }

    /** Whether an {@code Authorization} header carries this process's key for its simulated experts. */
    public boolean isSimulatedKey(String authorization) {
        return authorization != null && java.security.MessageDigest.isEqual(
                authorization.getBytes(java.nio.charset.StandardCharsets.US_ASCII), bearer().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private String bearer() {
        return "Bearer " + new String(simulatedKey, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] randomKey() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return ("sim-" + java.util.HexFormat.of().formatHex(bytes)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Headers sent upstream besides content type and request id. */
    public Map<String, String> headers(ExpertConfig expert) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (expert.isSimulated()) {
            headers.put("authorization", bearer());
        }
        if (expert.apiKeyEnv() != null) {
            String key = env.apply(expert.apiKeyEnv());
            if (key != null && !key.isBlank()) {
                headers.put("authorization", "Bearer " + key);
            }
        }
        expert.headersEnv().forEach((header, var) -> {
            String value = env.apply(var);
            if (value != null && !value.isBlank()) {
                headers.put(header, value);
            }
        });
        return headers;
    }
}
