package dev.expertrouter.training.quality;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.Sha256;
import dev.expertrouter.routing.quality.QualityModelFiles;
import dev.expertrouter.routing.quality.QualityPredictor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Writes {@code <version>/quality/} atomically: the files go into a hidden temporary directory
 * beside it, renamed into place once complete, so a loader never sees half a predictor. An
 * existing predictor is never overwritten (versions are immutable).
 */
public final class QualityArtifactWriter {

    private QualityArtifactWriter() {
    }

    /**
     * @param extra training facts (data, settings) to record beside the generated fields
     * @return the written {@code quality/} directory
     */
    public static Path write(Path versionDir, MultiLayerNetwork network, QualityPredictor predictor,
            QualityDataset.Labelling labelling, QualityGate.Report gate, ObjectNode extra) {
        Path target = versionDir.resolve(QualityModelFiles.DIRECTORY);
        if (Files.exists(target)) {
            throw new IllegalArgumentException("a quality predictor already exists: " + target);
        }
        Path temp = versionDir.resolve("." + QualityModelFiles.DIRECTORY + "-" + System.nanoTime() + ".tmp");
        try {
            Files.createDirectories(temp);
            Path net = temp.resolve(QualityModelFiles.NETWORK);
            ModelSerializer.writeModel(network, net.toFile(), false);
            ObjectNode meta = Json.MAPPER.createObjectNode();
            meta.put("format", QualityModelFiles.FORMAT);
            meta.put("kind", "quality-predictor");
            meta.put("version", predictor.version());
            meta.put("embedder-id", predictor.embedderId());
            meta.put("dimension", predictor.dimension());
            meta.set("domains", Json.MAPPER.valueToTree(predictor.domains()));
            ArrayNode experts = meta.putArray("experts");
            for (int i = 0; i < predictor.experts().size(); i++) {
                experts.addObject().put("id", predictor.experts().get(i)).put("evidence", predictor.evidence()[i]);
            }
            meta.put("output", "P(feedback score >= " + labelling.goodThreshold() + ") per expert, sigmoid of the logit");
            meta.set("labelling", Json.MAPPER.valueToTree(labelling));
            meta.set("evaluation", Json.MAPPER.valueToTree(gate));
            if (extra != null) {
                meta.set("training", extra);
            }
            meta.putObject("files").put(QualityModelFiles.NETWORK, Sha256.of(net));
            Files.writeString(temp.resolve(QualityModelFiles.METADATA),
                    Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(meta));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write the quality predictor to " + target, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover hidden temp directory is harmless: loaders never read it
        }
    }
}
