package dev.expertrouter.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.embedding.PromptEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Builds a router model version in named steps: data (MMLU, own examples, chat-style examples,
 * corrected outcomes; the chat-style held-out set apart), split, embed, heads, k-fold refit,
 * neighbour blend, report (the MMLU test split beside the chat-style held-out set), then write. The {@code train} command
 * and the retrainer both run it; the same options and data give the same model (every random draw
 * derives from the seed).
 */
public final class TrainingPipeline {

    private final PromptEmbedder embedder;
    private final PromptTextSelector selector;
    private final Optional<Path> embeddingCacheDir;
    private final PrintStream out;

    /** @param embeddingCacheDir where base-data embeddings are kept between runs; empty embeds every time */
    public TrainingPipeline(PromptEmbedder embedder, PromptTextSelector selector, Optional<Path> embeddingCacheDir,
            PrintStream out) {
        this.embedder = embedder;
        this.selector = selector;
        this.embeddingCacheDir = embeddingCacheDir;
        this.out = out;
    }

    /**
     * Trains a candidate in memory.
     *
     * @param corrections      outcomes whose feedback corrected the domain (their embeddings must come
     *                         from this pipeline's embedder)
     * @param correctionCopies how many times a corrected outcome counts in training (its weight)
     */
    public TrainedCandidate train(TrainOptions options, List<CorrectedExample> corrections, int correctionCopies) {
        long started = System.nanoTime();
        if (Files.exists(options.outDir().resolve(options.version()))) {
            // Checked again when writing; failing here saves the embedding and training time.
            throw new IllegalArgumentException("router model version already exists: "
                    + options.outDir().resolve(options.version()));
        }
        if (correctionCopies < 1) {
            throw new IllegalArgumentException("a corrected outcome must count at least once, was " + correctionCopies);
        }
        TrainingData data = TrainingData.load(options, corrections, out);
        List<String> labels = data.labels();
        List<String> classes = data.classes();

        PromptEmbedding embedding = new PromptEmbedding(selector, embedder,
                embeddingCacheDir.map(dir -> EmbeddingCache.open(dir, embedder.id(), embedder.dimension())), out);
        EmbeddedSet trainSet = embedding.embed("train", data.train(), labels, classes);
        EmbeddedSet valSet = embedding.embed("validation", data.validation(), labels, classes);
        EmbeddedSet testSet = embedding.embed("test", data.test(), labels, classes);
        EmbeddedSet ownTestSet = embedding.embed("own test", data.ownTest(), labels, classes);
        EmbeddedSet chatEvalSet = data.chatEval().isEmpty() ? null
                : embedding.embed("chat-style held-out", data.chatEval().get().prompts(), labels, classes);
        embedding.saveCache();
        TrainingData.Corrections fixes = data.corrections();
        if (fixes.size() > 0) {
            int baseRows = trainSet.size();
            trainSet = EmbeddedSet.concat(trainSet, PromptEmbedding.corrections(fixes.train(), labels, classes, correctionCopies));
            valSet = EmbeddedSet.concat(valSet, PromptEmbedding.corrections(fixes.validation(), labels, classes, correctionCopies));
            int batch = options.head().batchSize();
            options = withStepsOfTheBaseData(options, baseRows, trainSet.expanded().size());
            if (options.head().batchSize() != batch) {
                out.printf(Locale.ROOT, "corrections widen the minibatch from %d to %d rows: an epoch stays %d steps%n", batch,
                        options.head().batchSize(), (baseRows + batch - 1) / batch);
            }
        }

        HeadFit heads = HeadFit.fit(options, data, trainSet, valSet, embedder.id(), out);
        RouterModel uncalibrated = heads.uncalibrated();
        RouterModel model = heads.model();
        double temperature = heads.temperature();
        double[][] heldOutHeads = heads.heldOutHeads();
        List<MultiLayerNetwork> networks = heads.trained().networks();
        String fittedOn = "validation";
        KFoldRefit refit = null;
        if (options.refitFolds() >= 2) {
            refit = KFoldRefit.fit(options, data, heads, trainSet, valSet, embedder.id(), out);
            uncalibrated = refit.uncalibrated();
            model = refit.model();
            temperature = refit.temperature();
            heldOutHeads = refit.heldOutHeads();
            networks = refit.networks();
            fittedOn = refit.fittedOn();
        }

        NeighbourBlendFit blend = options.neighbours().enabled()
                ? NeighbourBlendFit.fit(options.neighbours(), labels, heldOutHeads, trainSet, valSet, refit, out)
                : null;
        RouterModel headsOnly = model;
        if (blend != null) {
            model = model.withNeighbours(blend.blend());
        }
        TrainingReport report = TrainingReport.of(model, headsOnly, uncalibrated, testSet, ownTestSet, chatEvalSet,
                data.testIsMmlu(), out);
        ObjectNode metadata = TrainingMetadata.build(options, data, embedder.id(), embedder.dimension(),
                networks.size(), temperature, fittedOn, heads, refit, blend, report, correctionCopies);
        return new TrainedCandidate(options.version(), model, networks, labels, data.classTable(), temperature,
                blend == null ? null : blend.blend(), metadata, report.test(), report.ownTest(), report.chatEval(),
                regressionSet(data, testSet, ownTestSet, chatEvalSet), started);
    }

    /**
     * Corrections widen the minibatch instead of lengthening the epoch: an epoch stays as many
     * Adam steps as on the base data alone. A DL4J step's cost is mostly per step, not per row
     * (one member's epoch over 3,170 rows: 0.72 s of CPU in minibatches of 32, 0.22 s in minibatches
     * of 128; bench/retrain/EpochCpu.java), so 3,000 corrections at weight 3 would otherwise make
     * each epoch almost five times as long as the base data's. Without corrections nothing changes.
     */
    static TrainOptions withStepsOfTheBaseData(TrainOptions options, int baseRows, int rows) {
        int batch = options.head().batchSize();
        int steps = Math.max(1, (baseRows + batch - 1) / batch);
        int widened = Math.max(batch, (rows + steps - 1) / steps);
        if (widened == batch) {
            return options;
        }
        return new TrainOptions(options.mmluDir(), options.examplesDir(), options.outDir(), options.version(),
                options.seed(), options.validationFraction(), options.testFraction(), options.forcePromote(),
                options.head().withBatchSize(widened), options.refitFolds(), options.neighbours(),
                options.embeddingCache());
    }

    /** The write step: the version directory, atomically (see {@link RouterArtifactWriter}). */
    public Path write(TrainedCandidate candidate, Path outDir) {
        candidate.metadata().put("trainingSeconds", (System.nanoTime() - candidate.startedNanos()) / 1e9);
        Path dir = RouterArtifactWriter.write(outDir, candidate.version(), candidate.labels(), candidate.classTable(),
                candidate.networks(), candidate.temperature(), candidate.blend(), candidate.metadata());
        out.printf(Locale.ROOT, "wrote %s in %.1f s%n", dir, (System.nanoTime() - candidate.startedNanos()) / 1e9);
        return dir;
    }

    private static List<TrainedCandidate.HeldOutExample> regressionSet(TrainingData data, EmbeddedSet test,
            EmbeddedSet ownTest, EmbeddedSet chatEval) {
        List<TrainedCandidate.HeldOutExample> rows = new ArrayList<>();
        List<String> labels = data.labels();
        // Without MMLU the test split is the own examples' test share: count it once.
        for (int i = 0; i < test.size(); i++) {
            rows.add(new TrainedCandidate.HeldOutExample(test.x[i], labels.get(test.y[i]),
                    data.testIsMmlu() ? TrainedCandidate.HeldOutExample.TEST : TrainedCandidate.HeldOutExample.OWN));
        }
        if (data.testIsMmlu()) {
            for (int i = 0; i < ownTest.size(); i++) {
                rows.add(new TrainedCandidate.HeldOutExample(ownTest.x[i], labels.get(ownTest.y[i]),
                        TrainedCandidate.HeldOutExample.OWN));
            }
        }
        for (int i = 0; chatEval != null && i < chatEval.size(); i++) {
            rows.add(new TrainedCandidate.HeldOutExample(chatEval.x[i], labels.get(chatEval.y[i]),
                    TrainedCandidate.HeldOutExample.CHAT));
        }
        for (CorrectedExample e : data.corrections().test()) {
            rows.add(new TrainedCandidate.HeldOutExample(e.embedding(), e.domain(), TrainedCandidate.HeldOutExample.CORRECTION));
        }
        return List.copyOf(rows);
    }
}
