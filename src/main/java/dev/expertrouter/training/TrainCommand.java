package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code train}: builds a router model version from the MMLU questions and the project's own
 * examples with the {@link TrainingPipeline}, prints progress and a metrics table, and writes
 * {@code router-models/<version>/}. Reproducible: the split, initialisation and shuffling all
 * derive from {@code --seed}. It does not change what serves unless told {@code --force-promote},
 * which skips the promotion gates and says so.
 */
public final class TrainCommand {

    private final PromptEmbedder embedder;
    private final PromptTextSelector selector;
    private final PrintStream out;

    public TrainCommand(PromptEmbedder embedder, PromptTextSelector selector, PrintStream out) {
        this.embedder = embedder;
        this.selector = selector;
        this.out = out;
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.manager") == null) {
            // Quarkus' JBoss LogManager is on the class path; standalone runs must name it before any logging.
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        System.exit(run(args));
    }

    /** @return the process exit code: 0 on success, 2 for bad arguments or data, 1 otherwise */
    public static int run(String[] args) {
        TrainOptions options;
        try {
            options = TrainOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("train: " + e.getMessage());
            System.err.print(TrainOptions.USAGE);
            return 2;
        }
        try {
            new TrainCommand(new MiniLmEmbedder(), new PromptTextSelector(), System.out).train(options);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("train: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("train failed: " + e);
            e.printStackTrace(System.err);
            return 1;
        }
    }

    /** Result of a training run: where the artifact went and its scores. */
    public record Outcome(Path versionDir, RouterModel model, ClassificationReport test, ClassificationReport ownTest) {
    }

    public Outcome train(TrainOptions options) {
        TrainingPipeline pipeline = new TrainingPipeline(embedder, selector, options.embeddingCache(), out);
        TrainedCandidate candidate = pipeline.train(options, List.of(), 1);
        Path dir = pipeline.write(candidate, options.outDir());
        if (options.forcePromote()) {
            RouterArtifactWriter.promote(options.outDir(), options.version());
            out.printf("%s is now current: promoted by --force-promote, without the promotion gates%n",
                    options.version());
        }
        return new Outcome(dir, candidate.model(), candidate.test(), candidate.ownTest());
    }
}
