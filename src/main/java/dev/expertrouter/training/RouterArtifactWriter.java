package dev.expertrouter.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.Sha256;
import dev.expertrouter.routing.classifier.NeighbourBlend;
import dev.expertrouter.routing.classifier.RouterArtifactFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Writes a router model version atomically: everything goes into a hidden temporary directory
 * beside the target, which is renamed into place only once complete, so a reader never sees a
 * half-written model. {@code current} is replaced the same way (write, then rename).
 */
public final class RouterArtifactWriter {

    private RouterArtifactWriter() {
    }

    /** One entry of classes.json (a record, so the key order in the file is stable). */
    public record ClassEntry(String name, String domain) {
    }

    /**
     * @param metadata everything but {@code files}, which is filled in here with each file's sha256
     * @return the final version directory
     */
    public static Path write(Path root, String version, List<String> labels, List<ClassEntry> classes,
            List<MultiLayerNetwork> members,
            double temperature, ObjectNode metadata) {
        return write(root, version, labels, classes, members, temperature, null, metadata);
    }

    /**
     * @param neighbours the blend to ship beside the heads, or {@code null} for heads alone
     * @param metadata   everything but {@code files}, which is filled in here with each file's sha256
     * @return the final version directory
     */
    public static Path write(Path root, String version, List<String> labels, List<ClassEntry> classes,
            List<MultiLayerNetwork> members, double temperature, NeighbourBlend neighbours, ObjectNode metadata) {
        if (!version.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("version must be a plain directory name, was '" + version + "'");
        }
        Path target = root.resolve(version);
        if (Files.exists(target)) {
            throw new IllegalArgumentException("router model version already exists: " + target);
        }
        Path temp = root.resolve(".tmp-" + version + "-" + System.nanoTime());
        try {
            Files.createDirectories(temp);
            Files.writeString(temp.resolve(RouterArtifactFiles.LABELS), Json.PRETTY.writeValueAsString(labels) + "\n");
            Files.writeString(temp.resolve(RouterArtifactFiles.CLASSES), Json.PRETTY.writeValueAsString(classes) + "\n");
            ObjectNode calibration = Json.MAPPER.createObjectNode();
            calibration.put("method", "temperature");
            calibration.put("temperature", temperature);
            if (neighbours != null) {
                calibration.set("neighbours", neighboursSettings(neighbours));
                neighbours.index().write(temp.resolve(RouterArtifactFiles.NEIGHBOURS));
            }
            Files.writeString(temp.resolve(RouterArtifactFiles.CALIBRATION), Json.PRETTY.writeValueAsString(calibration) + "\n");
            for (int m = 0; m < members.size(); m++) {
                ModelSerializer.writeModel(members.get(m), temp.resolve(RouterArtifactFiles.memberFile(m)).toFile(), false);
            }
            ObjectNode files = metadata.putObject("files");
            try (Stream<Path> list = Files.list(temp)) {
                for (Path file : list.sorted().toList()) {
                    files.put(file.getFileName().toString(), Sha256.of(file));
                }
            }
            Files.writeString(temp.resolve(RouterArtifactFiles.METADATA), Json.PRETTY.writeValueAsString(metadata) + "\n");
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write router model " + target, e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** The blend's settings as calibration.json records them and the loader reads them back. */
    public static ObjectNode neighboursSettings(NeighbourBlend blend) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("k", blend.index().k());
        node.put("tau", blend.index().tau());
        node.put("balance", blend.index().balance());
        node.put("space", RouterArtifactFiles.space(blend.index().whitened()));
        node.put("headWeight", blend.headWeight());
        node.put("temperature", blend.temperature());
        return node;
    }

    /** Points {@code <root>/current} at a version (write to a temp file, then rename over). */
    public static void promote(Path root, String version) {
        if (!Files.isDirectory(root.resolve(version))) {
            throw new IllegalArgumentException("cannot promote missing version " + root.resolve(version));
        }
        Path temp = root.resolve(".current-" + System.nanoTime());
        try {
            Files.writeString(temp, version + "\n", StandardCharsets.UTF_8);
            Files.move(temp, root.resolve(RouterArtifactFiles.CURRENT), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot update " + root.resolve(RouterArtifactFiles.CURRENT), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover .tmp-* directory is never read as a version
        }
    }
}
