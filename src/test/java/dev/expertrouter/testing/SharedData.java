package dev.expertrouter.testing;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's data sets (MMLU, GSM8K), read in place from {@code ../shared/data} beside the
 * clone, as CI lays it out. A test that needs them fails when they are missing instead of
 * skipping: a skipped acceptance test looks green and checks nothing. A work tree that is not
 * beside {@code shared/} names the directory with {@code ROUTER_SHARED_DATA}.
 */
public final class SharedData {

    static final String ENV = "ROUTER_SHARED_DATA";

    private SharedData() {
    }

    /** A file under the data directory, which must exist. */
    public static Path file(String relative) {
        String env = System.getenv(ENV);
        Path dir = env == null || env.isBlank() ? Path.of("..", "shared", "data") : Path.of(env);
        Path file = dir.resolve(relative);
        if (!Files.isRegularFile(file)) {
            fail("test data " + file.toAbsolutePath().normalize() + " is missing: lay shared/ beside the clone"
                    + " (CI does), or set " + ENV + " to its data directory");
        }
        return file;
    }
}
