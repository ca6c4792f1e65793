package dev.expertrouter.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.routing.classifier.NeighbourBlend;
import dev.expertrouter.routing.classifier.RouterModel;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained version held in memory, not yet written: the served model, what the writer needs, its
 * reports, and the regression set it is judged on before promotion.
 *
 * @param blend      the neighbour blend shipped beside the heads, or {@code null}
 * @param metadata   metadata.json without {@code files} and {@code trainingSeconds} (the write step adds them)
 * @param chatEval   the score on the chat-style held-out set, or {@code null} without one
 * @param regression the held-out rows the promotion gates compare serving and candidate on: the
 *                   test split, the own examples held out, the chat-style held-out set and the
 *                   corrections held out
 */
public record TrainedCandidate(String version, RouterModel model, List<MultiLayerNetwork> networks,
        List<String> labels, List<RouterArtifactWriter.ClassEntry> classTable, double temperature,
        NeighbourBlend blend, ObjectNode metadata, ClassificationReport test, ClassificationReport ownTest,
        ClassificationReport chatEval, List<HeldOutExample> regression, long startedNanos) {

    /** One held-out row: its embedding, its true domain, and where it came from. */
    public record HeldOutExample(float[] embedding, String domain, String source) {

        public static final String TEST = "test";
        public static final String OWN = "own";
        public static final String CORRECTION = "correction";
        /** The chat-style held-out set ({@link ChatEvalSet}). */
        public static final String CHAT = "chat";
    }
}
