package dev.expertrouter.api.admin;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The shipped demo config with a private models root holding copies of the shipped v3 and v4
 * (v4 current), so promotions and rollbacks rewrite {@code current} there, not in the repository.
 */
public class ReleasesTestProfile implements QuarkusTestProfile {

    static final String ADMIN_KEY = "admin-secret-for-release-tests";
    static final Path MODELS = copyModels();

    private static Path copyModels() {
        try {
            Path root = Files.createTempDirectory("router-releases");
            for (String version : new String[] {"v3", "v4"}) {
                Path to = Files.createDirectories(root.resolve(version));
                try (var files = Files.list(Path.of("router-models", version))) {
                    for (Path f : files.toList()) {
                        Files.copy(f, to.resolve(f.getFileName()));
                    }
                }
            }
            Files.writeString(root.resolve("current"), "v4\n");
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("router.config-dir", "config", "router.reload-interval", "0s",
                "router.models-dir", MODELS.toString(), "router.admin-key", ADMIN_KEY,
                "router.retrain.mmlu-dir", "target/no-such-mmlu");
    }
}
