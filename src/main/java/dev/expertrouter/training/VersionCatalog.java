package dev.expertrouter.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.routing.classifier.RouterArtifactFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The versions under a models root with the scores their metadata records: test, out-of-fold,
 * own-example and chat-style held-out macro recall, accuracy and ECE (per-domain recall for the
 * test split and the chat-style set), and the promotion gates' verdict where a retrain judged them.
 * Hidden directories (a write in progress, the embedding cache) are not versions.
 */
public final class VersionCatalog {

    private static final Pattern NUMBERED = Pattern.compile("v(\\d+)");

    private VersionCatalog() {
    }

    /** One JSON object per version, {@code v1, v2, ... v10} in numeric order, then others by name. */
    public static ArrayNode list(Path root, String serving) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (!Files.isDirectory(root)) {
            return out;
        }
        List<Path> dirs;
        try (Stream<Path> list = Files.list(root)) {
            dirs = list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isRegularFile(p.resolve(RouterArtifactFiles.METADATA)))
                    .sorted(Comparator.comparing(VersionCatalog::numberOf).thenComparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        for (Path dir : dirs) {
            out.add(describe(dir, serving));
        }
        return out;
    }

    private static ObjectNode describe(Path dir, String serving) {
        String version = dir.getFileName().toString();
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("version", version);
        v.put("serving", version.equals(serving));
        JsonNode metadata;
        try {
            metadata = Json.MAPPER.readTree(dir.resolve(RouterArtifactFiles.METADATA).toFile());
        } catch (IOException e) {
            v.put("error", "unreadable metadata.json: " + e.getMessage());
            return v;
        }
        v.put("created", metadata.path("created").asText(null));
        v.put("embedder", metadata.path("embedder").asText(null));
        JsonNode metrics = metadata.path("metrics");
        ObjectNode m = v.putObject("metrics");
        for (String name : new String[] {"test", "outOfFoldWithNeighbours", "validationWithNeighbours", "ownTest",
            "chatEval"}) {
            JsonNode r = metrics.path(name);
            if (r.isObject()) {
                ObjectNode s = m.putObject(name);
                s.put("count", r.path("count").asInt());
                s.put("macroRecall", r.path("macroRecall").asDouble());
                s.put("accuracy", r.path("accuracy").asDouble());
                s.put("ece", r.path("ece").asDouble());
                if (name.equals("test") || name.equals("chatEval")) {
                    // The two scores issue #16 compares, per domain as well.
                    ObjectNode recall = s.putObject("recallPerDomain");
                    r.path("perDomain").fields().forEachRemaining(d -> recall.put(d.getKey(), d.getValue().path("recall").asDouble()));
                }
            }
        }
        if (metadata.has("corrections")) {
            v.set("corrections", metadata.get("corrections"));
        }
        if (metadata.has("gates")) {
            v.set("gates", metadata.get("gates"));
        }
        return v;
    }

    private static int numberOf(Path dir) {
        Matcher m = NUMBERED.matcher(dir.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }
}
