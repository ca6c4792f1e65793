package dev.expertrouter.routing.quality;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.Json;
import dev.expertrouter.Sha256;
import dev.expertrouter.routing.classifier.MlpHead;
import dev.expertrouter.routing.classifier.RouterModelException;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Reads {@code <version>/quality/}, checking every file against the sha256 its metadata records
 * and the network's shape against the experts and features it claims. DL4J is used here, at load
 * time only; serving runs on the copied float weights.
 */
public final class QualityModelLoader {

    private QualityModelLoader() {
    }

    /** The predictor of a router model version, or empty when the version has none. */
    public static Optional<QualityPredictor> loadIfPresent(Path versionDir) {
        Path dir = versionDir.resolve(QualityModelFiles.DIRECTORY);
        return Files.isDirectory(dir) ? Optional.of(load(dir)) : Optional.empty();
    }

    public static QualityPredictor load(Path dir) {
        JsonNode meta = readJson(dir.resolve(QualityModelFiles.METADATA));
        int format = meta.path("format").asInt(-1);
        if (format != QualityModelFiles.FORMAT) {
            throw new RouterModelException(dir + ": quality predictor format " + format + " is not readable (expected "
                    + QualityModelFiles.FORMAT + ")");
        }
        verifyFiles(dir, meta.path("files"));
        List<String> domains = strings(meta.path("domains"));
        List<String> experts = new ArrayList<>();
        List<Double> evidence = new ArrayList<>();
        for (JsonNode e : meta.path("experts")) {
            experts.add(e.path("id").asText());
            evidence.add(e.path("evidence").asDouble(0));
        }
        if (experts.isEmpty()) {
            throw new RouterModelException(dir + ": metadata lists no experts");
        }
        MlpHead head = readNetwork(dir.resolve(QualityModelFiles.NETWORK));
        try {
            return new QualityPredictor(meta.path("version").asText(), meta.path("embedder-id").asText(null),
                    meta.path("dimension").asInt(), domains, experts,
                    evidence.stream().mapToDouble(Double::doubleValue).toArray(), head);
        } catch (IllegalArgumentException e) {
            throw new RouterModelException(dir + ": " + e.getMessage(), e);
        }
    }

    private static MlpHead readNetwork(Path file) {
        try {
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            return RouterModelLoader.headOf(net);
        } catch (IOException | RuntimeException e) {
            throw new RouterModelException("cannot read DL4J network " + file + ": " + e.getMessage(), e);
        }
    }

    private static void verifyFiles(Path dir, JsonNode files) {
        if (!files.isObject() || !files.has(QualityModelFiles.NETWORK)) {
            throw new RouterModelException(dir + ": metadata does not record " + QualityModelFiles.NETWORK
                    + " with its sha256");
        }
        Iterator<Map.Entry<String, JsonNode>> entries = files.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            Path file = dir.resolve(entry.getKey()).normalize();
            if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
                throw new RouterModelException("quality predictor incomplete: " + file + " is missing");
            }
            try {
                String actual = Sha256.of(file);
                if (!actual.equals(entry.getValue().asText())) {
                    throw new RouterModelException("quality predictor corrupt: sha256 of " + file + " is " + actual
                            + ", metadata records " + entry.getValue().asText());
                }
            } catch (IOException e) {
                throw new RouterModelException("cannot read " + file, e);
            }
        }
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RouterModelException("quality predictor incomplete: " + file + " is missing");
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new RouterModelException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }
}
