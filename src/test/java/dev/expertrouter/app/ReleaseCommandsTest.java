package dev.expertrouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.Json;
import dev.expertrouter.routing.quality.QualityModelFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/gateway versions | promote VERSION | rollback}, dispatched by {@link RouterMain} as
 * the script runs them, on a copy of the shipped v3 and v4 (v4 current): each changes
 * {@code current} and {@code history}, and each refusal exits non-zero, says why, and changes
 * nothing.
 */
class ReleaseCommandsTest {

    @TempDir
    Path models;

    private record Run(int code, String out, String err) {
    }

    @Test
    void promoteAndRollbackMoveCurrentAndTheHistory() throws Exception {
        copyShippedVersions();

        Run versions = gateway("versions");
        assertThat(versions.code()).as(versions.err()).isZero();
        JsonNode listed = Json.MAPPER.readTree(versions.out());
        assertThat(listed.path("serving").asText()).isEqualTo("v4");
        assertThat(listed.path("history").toString()).isEqualTo("[\"v4\"]");
        assertThat(serving(listed)).containsExactly("v3:false", "v4:true");

        Run promote = gateway("promote", "v3");
        assertThat(promote.code()).as(promote.err()).isZero();
        assertThat(promote.out()).contains("v3 is now current in " + models);
        assertThat(current()).isEqualTo("v3");
        assertThat(history()).containsExactly("v4", "v3");
        JsonNode after = Json.MAPPER.readTree(gateway("versions").out());
        assertThat(after.path("serving").asText()).isEqualTo("v3");
        assertThat(after.path("history").toString()).isEqualTo("[\"v4\",\"v3\"]");
        assertThat(serving(after)).containsExactly("v3:true", "v4:false");

        Run rollback = gateway("rollback");
        assertThat(rollback.code()).as(rollback.err()).isZero();
        assertThat(rollback.out()).contains("rolled back: v4 is now current in " + models);
        assertThat(current()).isEqualTo("v4");
        assertThat(history()).containsExactly("v4");
    }

    @Test
    void refusalsExitNonZeroSayWhyAndChangeNothing() throws Exception {
        copyShippedVersions();

        Run unknown = gateway("promote", "v9");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("promote: no version 'v9' in " + models
                + " (versions there: v3, v4); nothing changed\n");
        assertThat(current()).isEqualTo("v4");
        assertThat(models.resolve("history")).doesNotExist();

        Run noVersion = gateway("promote");
        assertThat(noVersion.code()).isEqualTo(2);
        assertThat(noVersion.err()).startsWith("promote: promote needs exactly one VERSION\n").contains("usage:");

        Run nothingBefore = gateway("rollback");
        assertThat(nothingBefore.code()).isEqualTo(2);
        assertThat(nothingBefore.err()).startsWith("rollback: nothing to roll back to: v4 is the only version that has served");
        assertThat(current()).isEqualTo("v4");

        Path quality = Files.createDirectories(models.resolve("v3").resolve(QualityModelFiles.DIRECTORY));
        Files.writeString(quality.resolve(QualityModelFiles.METADATA), "{\"format\": 99}");
        Run brokenPredictor = gateway("promote", "v3");
        assertThat(brokenPredictor.code()).isEqualTo(2);
        assertThat(brokenPredictor.err()).startsWith("promote: ").contains("quality predictor format 99");
        assertThat(current()).as("a version with a broken quality predictor is refused too").isEqualTo("v4");
        Files.delete(quality.resolve(QualityModelFiles.METADATA));
        Files.delete(quality);

        Files.writeString(models.resolve("v3/labels.json"), "[\"tampered\"]");
        Run broken = gateway("promote", "v3");
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.err()).startsWith("promote: ").contains("v3", "labels.json");
        assertThat(current()).as("a broken version is refused before current moves").isEqualTo("v4");
        assertThat(models.resolve("history")).doesNotExist();
    }

    /** Runs {@code bin/gateway <args> --models <temp>} in this JVM, through the entry point's dispatch. */
    private Run gateway(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--models");
        all.add(models.toString());
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = RouterMain.command(all.toArray(String[]::new)).orElseThrow();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    }

    /** The shipped v3 and v4 (never the repository's own directory, which the commands would change), v4 current. */
    private void copyShippedVersions() throws IOException {
        for (String version : List.of("v3", "v4")) {
            Path to = Files.createDirectories(models.resolve(version));
            try (var files = Files.list(Path.of("router-models", version))) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        Files.writeString(models.resolve("current"), "v4\n");
    }

    private String current() throws IOException {
        return Files.readString(models.resolve("current")).strip();
    }

    private List<String> history() throws IOException {
        return Files.readAllLines(models.resolve("history")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> serving(JsonNode versions) {
        List<String> flags = new ArrayList<>();
        versions.path("versions").forEach(v -> flags.add(v.path("version").asText() + ":" + v.path("serving").asBoolean()));
        return flags;
    }
}
