package dev.expertrouter.routing.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Sha256;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import dev.expertrouter.routing.embedding.UnroutablePromptException;
import dev.expertrouter.training.TrainCommand;
import dev.expertrouter.training.TrainOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains a small model on the project's own examples (no ../shared data needed, a few seconds),
 * then checks loading, prediction, bad input, and that broken artifacts are refused.
 */
@org.junit.jupiter.api.Tag("embedder")
class RouterArtifactTest {

    @TempDir
    static Path root;
    static MiniLmEmbedder embedder;
    static TrainCommand.Outcome trained;
    static String trainingLog;

    @BeforeAll
    static void trainOnOwnExamples() {
        embedder = new MiniLmEmbedder();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainOptions options = TrainOptions.parse(new String[] {"--examples", "config/domains", "--out",
                root.toString(), "--version", "t1", "--members", "2", "--hidden", "64", "--epochs", "25", "--force-promote"});
        trained = new TrainCommand(embedder, new PromptTextSelector(), new PrintStream(log, true)).train(options);
        trainingLog = log.toString();
    }

    private static EmbeddingClassifier classifier() {
        RouterModel model = RouterModelLoader.loadServing(root, Optional.empty(), embedder.id());
        return new EmbeddingClassifier(new PromptTextSelector(), embedder, model);
    }

    private static ChatPrompt user(String text) {
        return new ChatPrompt(List.of(new Turn("user", text)));
    }

    @Test
    void trainingReportsProgressAndMetricsAndPromotes() throws IOException {
        assertThat(trainingLog).contains("epoch", "val-loss", "val-acc", "macro-recall", "ECE",
                "now current: promoted by --force-promote, without the promotion gates");
        assertThat(Files.readString(root.resolve("current")).strip()).isEqualTo("t1");
        assertThat(trained.ownTest().accuracy()).isGreaterThan(0.6);
        // The chat-style held-out set beside config/domains, scored and never trained on.
        assertThat(trained.chatEval().count()).isEqualTo(160);
        assertThat(trainingLog).contains("chat-style held-out set (never trained on) (n=160)",
                "macro recall: chat-style held-out");
        try (Stream<Path> list = Files.list(root)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("t1", "current", ".embedding-cache");
        }
        ObjectNode metadata = (ObjectNode) new ObjectMapper().readTree(root.resolve("t1/metadata.json").toFile());
        assertThat(metadata.path("embedder").asText()).isEqualTo(MiniLmEmbedder.ID);
        assertThat(metadata.path("files").has("member-0.zip")).isTrue();
        assertThat(metadata.path("data").get(0).path("sha256").asText()).hasSize(64);
        assertThat(metadata.path("metrics").path("test").path("confusion").isArray()).isTrue();
    }

    @Test
    void loadedModelRoutesObviousPrompts() {
        EmbeddingClassifier classifier = classifier();
        assertThat(classifier.version()).isEqualTo("t1");
        Classification c = classifier.classify(user("write a java method that reverses a string"));
        assertThat(c.domain()).isEqualTo("code");
        assertThat(c.routerVersion()).isEqualTo("t1");
        assertThat(c.scores().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(c.confidence()).isEqualTo(c.scores().get("code"));
        assertThat(c.embedding()).hasSize(384);
        assertThat(classifier.classify(user("my landlord kept my deposit, can I sue him?")).domain()).isEqualTo("legal");
    }

    @Test
    void badInputIsRoutedOrRefusedWithAClearException() {
        EmbeddingClassifier classifier = classifier();
        assertThatThrownBy(() -> classifier.classify(user("   \n ")))
                .isInstanceOf(UnroutablePromptException.class);
        assertThatThrownBy(() -> classifier.classify(new ChatPrompt(List.of(new Turn("assistant", "hi")))))
                .isInstanceOf(UnroutablePromptException.class);
        assertThat(classifier.classify(new ChatPrompt(List.of(new Turn("system", "You are a tax advisor.")))).domain())
                .isNotBlank();
        long started = System.nanoTime();
        Classification huge = classifier.classify(user("Is this clause enforceable? " + "x".repeat(100_000)));
        assertThat(huge.confidence()).isBetween(0.0, 1.0);
        assertThat((System.nanoTime() - started) / 1e6).isLessThan(2000);
        assertThat(classifier.classify(user("¿Cuál es la capital de Francia? 🇫🇷")).confidence()).isBetween(0.0, 1.0);
        assertThat(classifier.classify(user("这个合同条款是什么意思？ 🤔")).confidence()).isBetween(0.0, 1.0);
        assertThat(classifier.classify(user("🙂🙂🙂")).confidence()).isBetween(0.0, 1.0);
        assertThat(classifier.classify(new ChatPrompt(List.of(new Turn("user", "what's the weather in Paris?"),
                new Turn("assistant", ""), new Turn("tool", "{\"temp\": 21}")))).confidence()).isBetween(0.0, 1.0);
    }

    @Test
    void classifyIsSafeFromManyThreads() throws Exception {
        EmbeddingClassifier classifier = classifier();
        String expected = classifier.classify(user("solve 2x + 3 = 11")).domain();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> classifier.classify(user("solve 2x + 3 = 11")).domain()));
            }
            for (Future<String> f : results) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void corruptWeightsAreRefused() throws IOException {
        Path copy = copyVersion("corrupt");
        Path member = copy.resolve("member-0.zip");
        byte[] bytes = Files.readAllBytes(member);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(member, bytes);
        assertThatThrownBy(() -> RouterModelLoader.load(copy, embedder.id()))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("sha256").hasMessageContaining("member-0.zip");
    }

    @Test
    void missingFileIsRefused() throws IOException {
        Path copy = copyVersion("incomplete");
        Files.delete(copy.resolve("calibration.json"));
        assertThatThrownBy(() -> RouterModelLoader.load(copy, embedder.id()))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("calibration.json").hasMessageContaining("missing");
    }

    @Test
    void otherEmbedderIsRefused() {
        assertThatThrownBy(() -> RouterModelLoader.load(root.resolve("t1"), "bge-small-en-v1.5-q"))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("embedder");
    }

    @Test
    void labelMismatchIsRefused() throws IOException {
        Path copy = copyVersion("labels");
        ObjectMapper json = new ObjectMapper();
        ObjectNode metadata = (ObjectNode) json.readTree(copy.resolve("metadata.json").toFile());
        metadata.putArray("labels").add("medical").add("legal");
        json.writeValue(copy.resolve("metadata.json").toFile(), metadata);
        assertThatThrownBy(() -> RouterModelLoader.load(copy, embedder.id()))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("labels");
    }

    @Test
    void versionNamedByCurrentOrOverride() throws IOException {
        assertThat(RouterModelLoader.servingVersion(root, Optional.empty())).isEqualTo("t1");
        assertThat(RouterModelLoader.servingVersion(root, Optional.of("v9"))).isEqualTo("v9");
        assertThatThrownBy(() -> RouterModelLoader.loadServing(root, Optional.of("v9"), embedder.id()))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("v9");
        Path empty = Files.createTempDirectory("no-current");
        assertThatThrownBy(() -> RouterModelLoader.servingVersion(empty, Optional.empty()))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("current");
    }

    @Test
    void existingVersionIsNeverOverwritten() {
        TrainOptions again = TrainOptions.parse(new String[] {"--examples", "config/domains", "--out",
                root.toString(), "--version", "t1", "--members", "1", "--epochs", "1"});
        assertThatThrownBy(() -> new TrainCommand(embedder, new PromptTextSelector(),
                new PrintStream(new ByteArrayOutputStream())).train(again))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
    }

    @Test
    void refitTrainsOneMemberPerFoldAndCalibratesOutOfFold(@TempDir Path other) throws IOException {
        TrainOptions options = TrainOptions.parse(new String[] {"--examples", "config/domains", "--out",
                other.toString(), "--version", "r1", "--members", "1", "--hidden", "32", "--epochs", "8",
                "--refit-folds", "3", "--label-smoothing", "0.05"});
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new TrainCommand(embedder, new PromptTextSelector(), new PrintStream(log, true)).train(options);
        assertThat(log.toString()).contains("refit member 3/3", "out-of-fold");
        ObjectNode metadata = (ObjectNode) new ObjectMapper().readTree(other.resolve("r1/metadata.json").toFile());
        assertThat(metadata.path("members").asInt()).isEqualTo(3);
        assertThat(metadata.path("refit").path("folds").asInt()).isEqualTo(3);
        assertThat(metadata.path("metrics").path("outOfFold").path("count").asInt()).isPositive();
        assertThat(metadata.path("metrics").path("outOfFoldWithNeighbours").path("count").asInt())
                .isEqualTo(metadata.path("refit").path("examples").asInt());
        assertThat(metadata.path("calibration").path("neighbours").path("rows").asInt())
                .isEqualTo(metadata.path("refit").path("examples").asInt());
        assertThat(metadata.path("calibration").path("fittedOn").asText()).contains("out-of-fold");
        assertThat(metadata.path("head").path("labelSmoothing").asDouble()).isEqualTo(0.05);
        RouterModel model = RouterModelLoader.loadServing(other, Optional.of("r1"), embedder.id());
        assertThat(model.members()).hasSize(3);
    }

    @Test
    void theServedModelBlendsItsHeadsWithANeighbourVote() throws IOException {
        ObjectNode metadata = (ObjectNode) new ObjectMapper().readTree(root.resolve("t1/metadata.json").toFile());
        assertThat(metadata.path("format").asInt()).isEqualTo(3);
        assertThat(metadata.path("files").has("neighbours.bin")).isTrue();
        assertThat(metadata.path("calibration").path("neighbours").path("k").asInt()).isEqualTo(10);
        assertThat(metadata.path("calibration").path("neighbours").path("space").asText()).isEqualTo("whitened");
        assertThat(metadata.path("calibration").path("neighbours").path("whiteningShrinkage").asDouble()).isEqualTo(0.5);
        assertThat(metadata.path("metrics").path("validationWithNeighbours").path("macroRecall").asDouble()).isPositive();
        assertThat(metadata.path("metrics").path("testHeadsOnly").path("count").asInt()).isPositive();
        assertThat(trainingLog).contains("heads + neighbours", "heads alone");

        RouterModel loaded = RouterModelLoader.load(root.resolve("t1"), embedder.id());
        assertThat(loaded.neighbours()).isNotNull();
        assertThat(loaded.neighbours().index().whitened()).isTrue();
        assertThat(loaded.neighbours().index().size()).isEqualTo(metadata.path("split").path("train").asInt());
        // What serving computes from the files is what training scored.
        for (String prompt : List.of("is this mole on my back dangerous", "write a regex for email addresses",
                "what is the capital of Australia")) {
            float[] e = embedder.embed(prompt);
            assertThat(loaded.probabilities(e)).usingComparatorWithPrecision(1e-9)
                    .containsExactly(trained.model().probabilities(e));
            assertThat(loaded.probabilities(e)).isNotEqualTo(loaded.headProbabilities(e));
        }
    }

    @Test
    void aDamagedNeighbourIndexIsRefusedEvenWithAMatchingChecksum() throws IOException {
        Path copy = copyVersion("neighbours");
        Path index = copy.resolve("neighbours.bin");
        byte[] bytes = Files.readAllBytes(index);
        Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        ObjectMapper json = new ObjectMapper();
        ObjectNode metadata = (ObjectNode) json.readTree(copy.resolve("metadata.json").toFile());
        ((ObjectNode) metadata.path("files")).put("neighbours.bin", Sha256.of(index));
        json.writeValue(copy.resolve("metadata.json").toFile(), metadata);
        assertThatThrownBy(() -> RouterModelLoader.load(copy, embedder.id()))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("neighbours.bin").hasMessageContaining("bytes");

        Files.delete(index);
        assertThatThrownBy(() -> RouterModelLoader.load(copy, embedder.id()))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("neighbours.bin").hasMessageContaining("missing");
    }

    @Test
    void badNeighbourSettingsAreRefusedNamingCalibrationJson() throws IOException {
        Path copy = copyVersion("settings");
        editNeighbourSettings(copy, neighbours -> neighbours.put("k", 0));
        assertThatThrownBy(() -> RouterModelLoader.load(copy, embedder.id()))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("calibration.json")
                .hasMessageContaining("k must be >= 1");
    }

    @Test
    void aNeighbourSpaceThatDisagreesWithTheIndexIsRefused() throws IOException {
        Path copy = copyVersion("space");
        editNeighbourSettings(copy, neighbours -> neighbours.put("space", "cosine"));
        assertThatThrownBy(() -> RouterModelLoader.load(copy, embedder.id()))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("neighbours.bin")
                .hasMessageContaining("whitened index").hasMessageContaining("says cosine");

        editNeighbourSettings(copy, neighbours -> neighbours.put("space", "whitened"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode metadata = (ObjectNode) json.readTree(copy.resolve("metadata.json").toFile());
        metadata.put("format", 2);
        json.writeValue(copy.resolve("metadata.json").toFile(), metadata);
        assertThatThrownBy(() -> RouterModelLoader.load(copy, embedder.id()))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("needs format 3");
    }

    @Test
    void theCosineSpaceStillTrainsAndLoads(@TempDir Path other) throws IOException {
        RouterModel model = trainQuickly(other, "c1", "--neighbour-space", "cosine");
        assertThat(model.neighbours().index().whitened()).isFalse();
        RouterModel whitened = RouterModelLoader.load(root.resolve("t1"), embedder.id());
        float[] e = embedder.embed("what are the side effects of ibuprofen");
        assertThat(model.neighbours().index().probabilities(e))
                .isNotEqualTo(whitened.neighbours().index().probabilities(e));
        assertThat(TrainCommand.run(new String[] {"--examples", "config/domains", "--out", other.toString(),
                "--version", "bad", "--neighbour-space", "euclid"})).isEqualTo(2);
    }

    @Test
    void neighboursZeroShipsTheHeadsAlone(@TempDir Path other) throws IOException {
        RouterModel model = trainQuickly(other, "h1", "--neighbours", "0");
        assertThat(other.resolve("h1/neighbours.bin")).doesNotExist();
        assertThat(model.neighbours()).isNull();
        float[] e = embedder.embed("how do I bake sourdough bread");
        assertThat(model.probabilities(e)).containsExactly(model.headProbabilities(e));
        assertThat(TrainCommand.run(new String[] {"--examples", "config/domains", "--out", other.toString(),
                "--version", "bad", "--neighbour-weight", "2"})).isEqualTo(2);
    }

    @Test
    void commandLineErrorsGiveExitCodeTwo() {
        assertThat(TrainCommand.run(new String[] {"--bogus"})).isEqualTo(2);
        assertThat(TrainCommand.run(new String[] {"--examples", "config/domains"})).isEqualTo(2);
    }

    /** A one-member, three-epoch model on the own examples, not promoted, loaded back. */
    private static RouterModel trainQuickly(Path out, String version, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--examples", "config/domains", "--out", out.toString(),
                "--version", version, "--members", "1", "--hidden", "32", "--epochs", "3"));
        args.addAll(List.of(extra));
        new TrainCommand(embedder, new PromptTextSelector(), new PrintStream(new ByteArrayOutputStream()))
                .train(TrainOptions.parse(args.toArray(String[]::new)));
        return RouterModelLoader.load(out.resolve(version), embedder.id());
    }

    /** Edits calibration.json's neighbours block in a copied version and records its new sha256. */
    private static void editNeighbourSettings(Path copy, java.util.function.Consumer<ObjectNode> edit)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path calibrationFile = copy.resolve("calibration.json");
        ObjectNode calibration = (ObjectNode) json.readTree(calibrationFile.toFile());
        edit.accept((ObjectNode) calibration.path("neighbours"));
        json.writeValue(calibrationFile.toFile(), calibration);
        ObjectNode metadata = (ObjectNode) json.readTree(copy.resolve("metadata.json").toFile());
        ((ObjectNode) metadata.path("files")).put("calibration.json", Sha256.of(calibrationFile));
        json.writeValue(copy.resolve("metadata.json").toFile(), metadata);
    }

    private static Path copyVersion(String name) throws IOException {
        Path source = root.resolve("t1");
        Path target = Files.createTempDirectory("models").resolve("t1");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }
}
