package dev.expertrouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class JsonTest {

    /**
     * Every JSON file of the shipped router model versions, read and written again by the shared
     * pretty writer, comes out byte for byte as committed: the writer keeps the format that
     * {@code RouterArtifactWriter} has always written (Jackson's default pretty printer, then a newline).
     */
    @Test
    void prettyWriterReproducesTheShippedModelFilesByteForByte() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("router-models"))) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("metadata.json", "calibration.json", "labels.json", "classes.json");
        for (Path file : files) {
            String committed = Files.readString(file);
            assertThat(Json.PRETTY.writeValueAsString(Json.MAPPER.readTree(committed)) + "\n")
                    .as(file.toString()).isEqualTo(committed);
        }
    }

    @Test
    void yamlMapperReadsTheOperatorsYamlAsATree() throws IOException {
        assertThat(Json.YAML.readTree("experts:\n  - id: a\n    quality: {math: 0.9}\n").path("experts").path(0)
                .path("quality").path("math").asDouble()).isEqualTo(0.9);
    }
}
