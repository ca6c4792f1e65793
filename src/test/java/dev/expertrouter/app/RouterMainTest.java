package dev.expertrouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterMainTest {

    @Test
    void validateConfigAcceptsTheShippedConfig() {
        assertThat(RouterMain.validateConfig(new String[] {"config"})).isZero();
    }

    @Test
    void validateConfigExitsNonZeroNamingFileKeyAndProblem(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"experts.yaml", "policies.yaml", "tenants.yaml"}) {
            Files.copy(Path.of("config", f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("tenants.yaml"), "tenants:\n  - name: x\n    api-key-sha256: abc\n");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            assertThat(RouterMain.validateConfig(new String[] {dir.toString()})).isEqualTo(1);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString()).contains("tenants.yaml: tenants[0].api-key-sha256: expected 64 hex characters");
    }
}
