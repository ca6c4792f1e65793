package dev.expertrouter.routing.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.routing.classifier.RouterModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The answer verifiers of a router model version: {@code <version>/verifiers/verifiers.json}, one
 * entry per expert (its weights, what it learned from, the gate it passed). One self-contained
 * file, written into a temporary directory that is then renamed into place, so a reader sees all of
 * it or none.
 */
public final class AnswerVerifierFiles {

    public static final String DIRECTORY = "verifiers";
    public static final String FILE = "verifiers.json";
    public static final int FORMAT = 1;

    /** One expert's verifier as stored: the verifier, the version it was trained in, and its gate. */
    public record Entry(AnswerVerifier verifier, String trainedIn, JsonNode gate) {
    }

    private AnswerVerifierFiles() {
    }

    /** The verifiers of a version, by expert; empty when the version has none. */
    public static Map<String, Entry> loadIfPresent(Path versionDir) {
        Path file = versionDir.resolve(DIRECTORY).resolve(FILE);
        if (!Files.isDirectory(versionDir.resolve(DIRECTORY))) {
            return Map.of();
        }
        if (!Files.isRegularFile(file)) {
            throw new RouterModelException("answer verifiers incomplete: " + file + " is missing");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new RouterModelException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || root.path("format").asInt(-1) != FORMAT) {
            throw new RouterModelException(file + ": answer verifiers format " + (root == null ? "none" : root.path("format"))
                    + " is not readable (expected " + FORMAT + ")");
        }
        if (root.path("checks-version").asInt(-1) != AnswerChecks.VERSION) {
            throw new RouterModelException(file + ": verifiers of answer checks version " + root.path("checks-version")
                    + ", this build computes version " + AnswerChecks.VERSION);
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (JsonNode e : root.path("experts")) {
            try {
                List<String> features = new ArrayList<>();
                e.path("features").forEach(f -> features.add(f.asText()));
                double[] weights = new double[e.path("weights").size()];
                for (int i = 0; i < weights.length; i++) {
                    JsonNode w = e.path("weights").get(i);
                    weights[i] = w.isNumber() ? w.asDouble() : Double.NaN;
                }
                JsonNode bias = e.path("bias");
                AnswerVerifier v = new AnswerVerifier(e.path("expert").asText(null), features, weights,
                        bias.isNumber() ? bias.asDouble() : Double.NaN, e.path("trained-on").asInt());
                out.put(v.expert(), new Entry(v, e.path("trained-in").asText(""), e.path("gate")));
            } catch (IllegalArgumentException ex) {
                throw new RouterModelException(file + ": " + ex.getMessage(), ex);
            }
        }
        return Map.copyOf(out);
    }

    /**
     * Writes {@code entries} as the verifiers of {@code versionDir}, replacing any it had; with no
     * entries, writes nothing.
     */
    public static void write(Path versionDir, String version, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", version);
        root.put("checks-version", AnswerChecks.VERSION);
        ArrayNode experts = root.putArray("experts");
        entries.stream().sorted(Comparator.comparing(e -> e.verifier().expert())).forEach(e -> {
            ObjectNode n = experts.addObject();
            AnswerVerifier v = e.verifier();
            n.put("expert", v.expert());
            n.put("trained-in", e.trainedIn());
            n.put("trained-on", v.trainedOn());
            ArrayNode f = n.putArray("features");
            v.features().forEach(f::add);
            ArrayNode w = n.putArray("weights");
            for (double x : v.weights()) {
                w.add(x);
            }
            n.put("bias", v.bias());
            if (e.gate() != null && !e.gate().isMissingNode()) {
                n.set("gate", e.gate());
            }
        });
        Path target = versionDir.resolve(DIRECTORY);
        Path temp = versionDir.resolve("." + DIRECTORY + "-" + System.nanoTime() + ".tmp");
        try {
            Files.createDirectories(temp);
            Files.writeString(temp.resolve(FILE),
                    Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
            if (Files.isDirectory(target)) {
                deleteTree(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the answer verifiers into " + target, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
