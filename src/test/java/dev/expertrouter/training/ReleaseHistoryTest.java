package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseHistoryTest {

    @TempDir
    Path root;

    private String current() throws IOException {
        return Files.readString(root.resolve("current")).strip();
    }

    @Test
    void rollbackRestoresTheVersionThatServedBefore() throws IOException {
        for (String v : new String[] {"v1", "v2", "v3"}) {
            Files.createDirectories(root.resolve(v));
        }
        Files.writeString(root.resolve("current"), "v1\n");
        ReleaseHistory history = new ReleaseHistory(root);
        assertThat(history.versions()).containsExactly("v1");

        history.promoted("v2");
        history.promoted("v3");
        assertThat(current()).isEqualTo("v3");
        assertThat(history.versions()).containsExactly("v1", "v2", "v3");

        assertThat(history.rolledBack()).isEqualTo("v2");
        assertThat(current()).isEqualTo("v2");
        assertThat(new ReleaseHistory(root).versions()).containsExactly("v1", "v2");
        assertThat(history.rolledBack()).isEqualTo("v1");
        assertThatThrownBy(history::rolledBack).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nothing to roll back to");
        assertThat(current()).isEqualTo("v1");
        try (var files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void promotingAMissingVersionChangesNothing() throws IOException {
        Files.createDirectories(root.resolve("v1"));
        Files.writeString(root.resolve("current"), "v1\n");
        ReleaseHistory history = new ReleaseHistory(root);
        assertThatThrownBy(() -> history.promoted("v9")).isInstanceOf(IllegalArgumentException.class);
        assertThat(current()).isEqualTo("v1");
    }
}
