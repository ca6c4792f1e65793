package dev.expertrouter.resilience;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The gateway over the misbehaving experts of {@code config-faults/}, copied to a temp directory
 * so a test can edit them and watch the hot reload.
 */
public class FaultsProfile implements QuarkusTestProfile {

    static final String ADMIN_KEY = "admin-secret-for-tests";
    static final Path CONFIG_DIR = copyConfig();

    private static Path copyConfig() {
        try {
            Path dir = Files.createTempDirectory("router-faults");
            for (String file : List.of("experts.yaml", "policies.yaml", "tenants.yaml")) {
                try (InputStream in = FaultsProfile.class.getResourceAsStream("/config-faults/" + file)) {
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "router.config-dir", CONFIG_DIR.toString(),
                "router.reload-interval", "200ms",
                "router.admin-key", ADMIN_KEY,
                "router.models-dir", "target/no-router-models");
    }
}
