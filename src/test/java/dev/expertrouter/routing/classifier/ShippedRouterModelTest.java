package dev.expertrouter.routing.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The committed router-models/current version loads, validates, routes, and records metrics that clear the bar. */
@org.junit.jupiter.api.Tag("embedder")
class ShippedRouterModelTest {

    private static final Path MODELS = Path.of("router-models");
    private static final double MIN_MACRO_RECALL = 0.85;
    private static final double MAX_ECE = 0.05;

    @Test
    void aPromptAndATurnScoredInOneSweepGetTheNumbersOfTwoCalls() {
        RouterModel model = EmbeddingClassifier.fromModelsDir(MODELS, Optional.empty()).model();
        java.util.Random r = new java.util.Random(5);
        for (int k = 0; k < 20; k++) {
            float[] a = unit(r, model.inputSize());
            float[] b = unit(r, model.inputSize());

            double[][] both = model.probabilitiesAndHeads(a, b);

            assertThat(both[0]).containsExactly(model.probabilities(a)); // with the neighbour vote
            assertThat(both[1]).containsExactly(model.headProbabilities(b));
        }
    }

    private static float[] unit(java.util.Random r, int n) {
        float[] v = new float[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < n; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    @Test
    void currentVersionLoadsAndRoutes() {
        EmbeddingClassifier classifier = EmbeddingClassifier.fromModelsDir(MODELS, Optional.empty());
        assertThat(classifier.model().labels())
                .containsExactlyInAnyOrder("medical", "legal", "finance", "code", "math", "science", "humanities", "general");
        assertThat(route(classifier, "is this mole dangerous? it has grown and the border is irregular")).isEqualTo("medical");
        assertThat(route(classifier, "fix this: TypeError: 'NoneType' object is not subscriptable in my Flask app"))
                .isEqualTo("code");
        assertThat(route(classifier, "what does the indemnification clause in my employment contract mean?"))
                .isEqualTo("legal");
        assertThat(route(classifier, "hey, what's a fun thing to do in Rome on a Sunday?")).isEqualTo("general");
    }

    @Test
    void metadataRecordsDataAndMetrics() throws IOException {
        JsonNode metadata = servingMetadata();
        assertThat(metadata.path("embedder").asText()).isEqualTo(MiniLmEmbedder.ID);
        assertThat(metadata.path("data")).hasSizeGreaterThanOrEqualTo(2);
        JsonNode test = metadata.path("metrics").path("test");
        for (String metric : List.of("accuracy", "macroRecall", "macroF1", "ece", "perDomain", "confusion")) {
            assertThat(test.has(metric)).as(metric).isTrue();
        }
        assertThat(metadata.path("split").path("testSource").asText()).isEqualTo("mmlu");
    }

    /**
     * The bar a served router must clear, on the held-out MMLU test split and on the out-of-fold
     * predictions over train + validation. The out-of-fold figures are those of what is served: the
     * head blended with the neighbour vote when the version ships one.
     */
    @Test
    void servedVersionClearsTheRecallAndCalibrationBar() throws IOException {
        JsonNode metadata = servingMetadata();
        JsonNode metrics = metadata.path("metrics");
        String outOfFold = metadata.path("calibration").has("neighbours") ? "outOfFoldWithNeighbours" : "outOfFold";
        for (String split : List.of("test", outOfFold)) {
            JsonNode m = metrics.path(split);
            assertThat(m.path("count").asInt()).as(split + ".count").isPositive();
            assertThat(m.path("macroRecall").isNumber()).as(split + ".macroRecall recorded").isTrue();
            assertThat(m.path("ece").isNumber()).as(split + ".ece recorded").isTrue();
            assertThat(m.path("macroRecall").asDouble()).as(split + ".macroRecall").isGreaterThanOrEqualTo(MIN_MACRO_RECALL);
            assertThat(m.path("ece").asDouble()).as(split + ".ece").isLessThanOrEqualTo(MAX_ECE);
        }
    }

    private static JsonNode servingMetadata() throws IOException {
        String version = RouterModelLoader.servingVersion(MODELS, Optional.empty());
        return new ObjectMapper().readTree(MODELS.resolve(version).resolve("metadata.json").toFile());
    }

    @Test
    void everyShippedVersionStillLoads() throws IOException {
        // Older formats stay readable so that a rollback to them works.
        try (var dirs = java.nio.file.Files.list(MODELS)) {
            List<Path> versions = dirs.filter(java.nio.file.Files::isDirectory).toList();
            assertThat(versions).isNotEmpty();
            for (Path dir : versions) {
                RouterModel model = RouterModelLoader.load(dir, MiniLmEmbedder.ID);
                JsonNode metadata = new ObjectMapper().readTree(dir.resolve("metadata.json").toFile());
                assertThat(model.neighbours() != null).as(dir.toString())
                        .isEqualTo(metadata.path("calibration").has("neighbours"));
                if (model.neighbours() != null) {
                    assertThat(model.neighbours().index().whitened()).as(dir.toString()).isEqualTo(
                            metadata.path("calibration").path("neighbours").path("space").asText("cosine").equals("whitened"));
                }
            }
        }
    }

    private static String route(EmbeddingClassifier classifier, String text) {
        return classifier.classify(new ChatPrompt(List.of(new Turn("user", text)))).domain();
    }
}
