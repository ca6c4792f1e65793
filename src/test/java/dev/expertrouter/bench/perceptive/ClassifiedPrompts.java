package dev.expertrouter.bench.perceptive;

import dev.expertrouter.Sha256;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.classifier.EmbeddingClassifier;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shipped router's view of each benchmark prompt (real MiniLM embedding + domain scores),
 * computed once and cached under {@code target/perceptive-cache/} keyed by the prompts' sha256 and
 * the router version, since embedding a few thousand prompts takes minutes on a busy machine.
 */
final class ClassifiedPrompts {

    private ClassifiedPrompts() {
    }

    static List<Classification> of(List<String> prompts, Path modelsDir, Path cacheDir, String name) throws IOException {
        String key = Sha256.hex(String.join("\u0000", prompts)).substring(0, 16);
        String version = Files.readString(modelsDir.resolve("current")).strip();
        Path cache = cacheDir.resolve(name + "-" + version + "-" + key + ".bin");
        if (Files.isRegularFile(cache)) {
            return read(cache, version);
        }
        EmbeddingClassifier classifier = EmbeddingClassifier.fromModelsDir(modelsDir, Optional.empty());
        List<Classification> out = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String p : prompts) {
            out.add(classifier.classify(new ChatPrompt(List.of(new ChatPrompt.Turn("user", p)))));
            if (out.size() % 250 == 0) {
                System.err.printf("  %s: classified %d/%d (%.0f s)%n", name, out.size(), prompts.size(),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        Files.createDirectories(cacheDir);
        write(cache, out);
        return out;
    }

    private static void write(Path file, List<Classification> items) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream raw = Files.newOutputStream(temp); DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(items.size());
            for (Classification c : items) {
                out.writeUTF(c.domain());
                out.writeDouble(c.confidence());
                out.writeUTF(c.embedderId() == null ? "" : c.embedderId());
                out.writeInt(c.scores().size());
                for (var e : c.scores().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeDouble(e.getValue());
                }
                out.writeInt(c.embedding().length);
                for (float f : c.embedding()) {
                    out.writeFloat(f);
                }
            }
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Classification> read(Path file, String version) throws IOException {
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file));
                DataInputStream in = new DataInputStream(raw)) {
            int n = in.readInt();
            List<Classification> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String domain = in.readUTF();
                double confidence = in.readDouble();
                String embedder = in.readUTF();
                int k = in.readInt();
                Map<String, Double> scores = new LinkedHashMap<>();
                for (int j = 0; j < k; j++) {
                    scores.put(in.readUTF(), in.readDouble());
                }
                float[] e = new float[in.readInt()];
                for (int j = 0; j < e.length; j++) {
                    e[j] = in.readFloat();
                }
                out.add(new Classification(domain, confidence, scores, version, e, embedder.isEmpty() ? null : embedder));
            }
            return out;
        }
    }
}
