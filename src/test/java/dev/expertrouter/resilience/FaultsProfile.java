package dev.expertrouter.resilience;

import dev.expertrouter.testing.ConfigCopy;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/**
 * The gateway over the misbehaving experts of {@code config-faults/}, copied to a temp directory
 * that only {@link FaultToleranceEndToEndTest} edits (to watch the hot reload, and to start each
 * test from the baseline).
 */
public class FaultsProfile implements QuarkusTestProfile {

    static final String ADMIN_KEY = "admin-secret-for-tests";
    static final String CONFIG_RESOURCE = "config-faults";
    static final Path CONFIG_DIR = ConfigCopy.of(CONFIG_RESOURCE);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "router.config-dir", CONFIG_DIR.toString(),
                "router.reload-interval", "200ms",
                "router.admin-key", ADMIN_KEY,
                "router.models-dir", "target/no-router-models");
    }
}
