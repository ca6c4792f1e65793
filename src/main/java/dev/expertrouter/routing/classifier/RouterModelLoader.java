package dev.expertrouter.routing.classifier;

import dev.expertrouter.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.expertrouter.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Loads a router model version from {@code router-models/} and refuses any artifact that is
 * incomplete, altered, or built for another embedder or label set, with a message naming the
 * file and the problem. DL4J reads the stored networks; their weights are then copied into
 * {@link MlpHead}s for lock-free inference.
 */
public final class RouterModelLoader {

    private static final ObjectMapper JSON = Json.MAPPER;

    private RouterModelLoader() {
    }

    /** The version named by {@code <root>/current}, unless {@code override} names one. */
    public static String servingVersion(Path root, Optional<String> override) {
        if (override.isPresent() && !override.get().isBlank()) {
            return override.get().strip();
        }
        Path current = root.resolve(RouterArtifactFiles.CURRENT);
        if (!Files.isRegularFile(current)) {
            throw new RouterModelException("no serving router version: " + current
                    + " is missing and no version was configured");
        }
        try {
            String version = Files.readString(current, StandardCharsets.UTF_8).strip();
            if (version.isEmpty()) {
                throw new RouterModelException(current + " is empty; it must name a version directory");
            }
            return version;
        } catch (IOException e) {
            throw new RouterModelException("cannot read " + current, e);
        }
    }

    /** Loads the serving version (see {@link #servingVersion}) for the given embedder. */
    public static RouterModel loadServing(Path root, Optional<String> override, String embedderId) {
        return load(root.resolve(servingVersion(root, override)), embedderId);
    }

    /**
     * @param versionDir the version directory, e.g. {@code router-models/v1}
     * @param embedderId the id of the embedder that will feed this model
     * @throws RouterModelException when the artifact is missing, incomplete, corrupt or mismatched
     */
    public static RouterModel load(Path versionDir, String embedderId) {
        if (!Files.isDirectory(versionDir)) {
            throw new RouterModelException("router model directory missing: " + versionDir);
        }
        String version = versionDir.getFileName().toString();
        JsonNode metadata = readJson(versionDir.resolve(RouterArtifactFiles.METADATA));
        int format = metadata.path("format").asInt(-1);
        if (!RouterArtifactFiles.READABLE_FORMATS.contains(format)) {
            throw new RouterModelException(versionDir.resolve(RouterArtifactFiles.METADATA)
                    + ": unsupported format " + format + " (this gateway reads "
                    + new java.util.TreeSet<>(RouterArtifactFiles.READABLE_FORMATS) + ")");
        }
        if (!version.equals(metadata.path("version").asText())) {
            throw new RouterModelException(versionDir + ": metadata names version '"
                    + metadata.path("version").asText() + "', not the directory's '" + version + "'");
        }
        String trainedOn = metadata.path("embedder").asText();
        if (!trainedOn.equals(embedderId)) {
            throw new RouterModelException(versionDir + ": trained on embedder '" + trainedOn
                    + "' but this gateway embeds with '" + embedderId + "'");
        }
        verifyFiles(versionDir, metadata.path("files"));

        List<String> labels = readLabels(versionDir.resolve(RouterArtifactFiles.LABELS));
        List<String> metadataLabels = new ArrayList<>();
        metadata.path("labels").forEach(l -> metadataLabels.add(l.asText()));
        if (!labels.equals(metadataLabels)) {
            throw new RouterModelException(versionDir + ": labels.json " + labels
                    + " does not match metadata labels " + metadataLabels);
        }
        int[] classDomains = readClasses(versionDir.resolve(RouterArtifactFiles.CLASSES), labels);
        JsonNode calibration = readJson(versionDir.resolve(RouterArtifactFiles.CALIBRATION));
        double temperature = calibration.path("temperature").asDouble(Double.NaN);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new RouterModelException(versionDir.resolve(RouterArtifactFiles.CALIBRATION)
                    + ": temperature must be a positive number");
        }
        int memberCount = metadata.path("members").asInt(0);
        if (memberCount < 1) {
            throw new RouterModelException(versionDir + ": metadata names no ensemble members");
        }
        int dimension = metadata.path("embeddingDimension").asInt(-1);
        List<MlpHead> members = new ArrayList<>();
        for (int m = 0; m < memberCount; m++) {
            Path file = versionDir.resolve(RouterArtifactFiles.memberFile(m));
            MlpHead head = readMember(file);
            if (head.outputSize() != classDomains.length) {
                throw new RouterModelException(file + ": outputs " + head.outputSize() + " scores for "
                        + classDomains.length + " classes in " + RouterArtifactFiles.CLASSES);
            }
            if (head.inputSize() != dimension) {
                throw new RouterModelException(file + ": takes " + head.inputSize()
                        + " inputs but the embedder gives " + dimension);
            }
            members.add(head);
        }
        NeighbourBlend neighbours = null;
        if (calibration.has("neighbours")) {
            if (format < 2) {
                throw new RouterModelException(versionDir.resolve(RouterArtifactFiles.CALIBRATION)
                        + ": a neighbour blend needs format 2, metadata says " + format);
            }
            neighbours = readNeighbours(versionDir, calibration.path("neighbours"), dimension, labels.size(), format);
        }
        try {
            return new RouterModel(version, embedderId, labels, classDomains, members, temperature, neighbours);
        } catch (IllegalArgumentException e) {
            throw new RouterModelException(versionDir + ": " + e.getMessage(), e);
        }
    }

    private static NeighbourBlend readNeighbours(Path versionDir, JsonNode node, int dimension, int domains,
            int format) {
        Path calibrationFile = versionDir.resolve(RouterArtifactFiles.CALIBRATION);
        int k = node.path("k").asInt(0);
        double tau = node.path("tau").asDouble(Double.NaN);
        double balance = node.path("balance").asDouble(Double.NaN);
        double headWeight = node.path("headWeight").asDouble(Double.NaN);
        double blendTemperature = node.path("temperature").asDouble(Double.NaN);
        Path file = versionDir.resolve(RouterArtifactFiles.NEIGHBOURS);
        if (!Files.isRegularFile(file)) {
            throw new RouterModelException("router model incomplete: " + file + " is missing");
        }
        try {
            NeighbourIndex.checkSettings(k, tau, balance);
        } catch (IllegalArgumentException e) {
            throw new RouterModelException(calibrationFile + ": neighbours: " + e.getMessage(), e);
        }
        String space = node.path("space").asText(RouterArtifactFiles.COSINE_SPACE);
        if (!space.equals(RouterArtifactFiles.COSINE_SPACE) && !space.equals(RouterArtifactFiles.WHITENED_SPACE)) {
            throw new RouterModelException(calibrationFile + ": neighbours: unknown space '" + space + "'");
        }
        if (space.equals(RouterArtifactFiles.WHITENED_SPACE) && format < 3) {
            throw new RouterModelException(calibrationFile + ": neighbours: a whitened space needs format 3, "
                    + "metadata says " + format);
        }
        NeighbourIndex index = NeighbourIndex.read(file, dimension, domains, k, tau, balance);
        if (!RouterArtifactFiles.space(index.whitened()).equals(space)) {
            throw new RouterModelException(file + ": holds a " + RouterArtifactFiles.space(index.whitened())
                    + " index, " + RouterArtifactFiles.CALIBRATION + " says " + space);
        }
        try {
            return new NeighbourBlend(index, headWeight, blendTemperature);
        } catch (IllegalArgumentException e) {
            throw new RouterModelException(calibrationFile + ": neighbours: " + e.getMessage(), e);
        }
    }

    private static void verifyFiles(Path versionDir, JsonNode files) {
        if (!files.isObject() || files.isEmpty()) {
            throw new RouterModelException(versionDir + ": metadata lists no files with their sha256");
        }
        for (String required : List.of(RouterArtifactFiles.LABELS, RouterArtifactFiles.CLASSES,
                RouterArtifactFiles.CALIBRATION,
                RouterArtifactFiles.memberFile(0))) {
            if (!files.has(required)) {
                throw new RouterModelException(versionDir + ": metadata does not record " + required);
            }
        }
        Iterator<Map.Entry<String, JsonNode>> entries = files.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            Path file = versionDir.resolve(entry.getKey()).normalize();
            if (!file.startsWith(versionDir.normalize()) || !Files.isRegularFile(file)) {
                throw new RouterModelException("router model incomplete: " + file + " is missing");
            }
            String actual;
            try {
                actual = Sha256.of(file);
            } catch (IOException e) {
                throw new RouterModelException("cannot read " + file, e);
            }
            if (!actual.equals(entry.getValue().asText())) {
                throw new RouterModelException("router model corrupt: sha256 of " + file + " is " + actual
                        + ", metadata records " + entry.getValue().asText());
            }
        }
    }

    /** Read without DL4J/ND4J (see {@link Dl4jZipHead}): serving never loads their native backend. */
    private static MlpHead readMember(Path file) {
        try {
            return Dl4jZipHead.read(file);
        } catch (IOException | RuntimeException e) {
            throw new RouterModelException("cannot read DL4J network " + file + ": " + e.getMessage(), e);
        }
    }

    /** Copies DL4J's parameters into plain float layers; the last layer keeps raw logits. */
    public static MlpHead headOf(MultiLayerNetwork net) {
        List<DenseLayerWeights> layers = new ArrayList<>();
        Layer[] netLayers = net.getLayers();
        for (int l = 0; l < netLayers.length; l++) {
            var w = netLayers[l].getParam("W");
            var b = netLayers[l].getParam("b");
            int in = (int) w.size(0);
            int out = (int) w.size(1);
            float[] weights = new float[in * out];
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    weights[i * out + j] = w.getFloat(i, j);
                }
            }
            float[] bias = new float[out];
            for (int j = 0; j < out; j++) {
                bias[j] = b.getFloat(j);
            }
            layers.add(new DenseLayerWeights(in, out, weights, bias, l < netLayers.length - 1));
        }
        return new MlpHead(layers);
    }

    private static int[] readClasses(Path file, List<String> labels) {
        JsonNode node = readJson(file);
        if (!node.isArray() || node.isEmpty()) {
            throw new RouterModelException(file + ": expected a non-empty JSON array of {name, domain}");
        }
        int[] classDomains = new int[node.size()];
        for (int i = 0; i < node.size(); i++) {
            String domain = node.get(i).path("domain").asText();
            classDomains[i] = labels.indexOf(domain);
            if (classDomains[i] < 0) {
                throw new RouterModelException(file + ": class '" + node.get(i).path("name").asText()
                        + "' maps to domain '" + domain + "', which is not in " + RouterArtifactFiles.LABELS);
            }
        }
        return classDomains;
    }

    private static List<String> readLabels(Path file) {
        JsonNode node = readJson(file);
        if (!node.isArray() || node.isEmpty()) {
            throw new RouterModelException(file + ": expected a non-empty JSON array of domain names");
        }
        List<String> labels = new ArrayList<>();
        node.forEach(l -> labels.add(l.asText()));
        return labels;
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RouterModelException("router model incomplete: " + file + " is missing");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new RouterModelException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }
}
