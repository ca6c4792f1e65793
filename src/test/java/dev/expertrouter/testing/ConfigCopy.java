package dev.expertrouter.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private, writable copy of a test config directory from the test resources. Each test class
 * that edits its config gets a copy of its own (through its profile), so no two classes ever
 * rewrite the same file.
 */
public final class ConfigCopy {

    private ConfigCopy() {
    }

    public static Path of(String resourceDir) {
        try {
            Path dir = Files.createTempDirectory("router-test-" + resourceDir);
            for (String file : List.of("experts.yaml", "policies.yaml", "tenants.yaml")) {
                try (InputStream in = ConfigCopy.class.getResourceAsStream("/" + resourceDir + "/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("no test resource " + resourceDir + "/" + file);
                    }
                    Files.copy(in, dir.resolve(file));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces a config file in one step (write beside it, then rename), so the reload poller
     * reads either the old text or the new one, never a half-written file.
     */
    public static void replace(Path file, String text) {
        try {
            Path next = file.resolveSibling("." + file.getFileName() + ".next");
            Files.writeString(next, text);
            Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The original text of one file of a resource directory, to restore or derive edits from. */
    public static String original(String resourceDir, String file) {
        try (InputStream in = ConfigCopy.class.getResourceAsStream("/" + resourceDir + "/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resourceDir + "/" + file);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
