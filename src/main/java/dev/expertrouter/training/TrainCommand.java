package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import java.io.PrintStream;
import java.nio.file.Path;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import java.util.List;
import java.util.Locale;

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
    /** @param chatEval the score on the chat-style held-out set, or {@code null} without one */
    public record Outcome(Path versionDir, RouterModel model, ClassificationReport test, ClassificationReport ownTest,
            ClassificationReport chatEval) {
    }

    /**
     * The promotion gates against another version, on the candidate's regression set (MMLU test
     * split, own examples held out, chat-style held-out set), printed and recorded; as the retrain
     * judges, but promoting nothing.
     */
    private void judge(TrainedCandidate candidate, Path against) {
        RouterModel serving = RouterModelLoader.load(against, embedder.id());
        PromotionGates.Verdict verdict = new PromotionGates(PromotionGates.DEFAULTS).judge(candidate.model(), serving,
                candidate.regression());
        PromotionGates.record(candidate.metadata(), verdict);
        out.printf(Locale.ROOT, "gates against %s (%d regression rows, its macro recall %.4f): %s%n", serving.version(),
                verdict.rows(), verdict.servingMacroRecall(), verdict.passed() ? "passed" : "FAILED " + verdict.failed());
        verdict.gates().forEach((name, g) -> out.printf(Locale.ROOT, "  gate %-20s value %.4f threshold %.4f %s%n", name,
                g.value(), g.threshold(), g.passed() ? "passed" : "FAILED"));
        // The same rows per source, both models: where the candidate gains or loses.
        java.util.Map<String, List<TrainedCandidate.HeldOutExample>> bySource = new java.util.TreeMap<>();
        candidate.regression().forEach(r -> bySource.computeIfAbsent(r.source(), s -> new java.util.ArrayList<>()).add(r));
        bySource.forEach((source, rows) -> out.printf(Locale.ROOT,
                "  %-10s %4d rows: macro recall %s %.4f, %s %.4f%n", source, rows.size(), serving.version(),
                score(serving, rows).macroRecall(), candidate.version(), score(candidate.model(), rows).macroRecall()));
    }

    private static ClassificationReport score(RouterModel model, List<TrainedCandidate.HeldOutExample> rows) {
        int[] truth = new int[rows.size()];
        double[][] p = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            truth[i] = model.labels().indexOf(rows.get(i).domain());
            p[i] = model.probabilities(rows.get(i).embedding());
        }
        return ClassificationReport.of(model.labels(), truth, p);
    }

    public Outcome train(TrainOptions options) {
        TrainingPipeline pipeline = new TrainingPipeline(embedder, selector, options.embeddingCache(), out);
        TrainedCandidate candidate = pipeline.train(options, List.of(), 1);
        options.judgeAgainst().ifPresent(version -> judge(candidate, options.outDir().resolve(version)));
        Path dir = pipeline.write(candidate, options.outDir());
        if (options.forcePromote()) {
            RouterArtifactWriter.promote(options.outDir(), options.version());
            out.printf("%s is now current: promoted by --force-promote, without the promotion gates%n",
                    options.version());
        }
        return new Outcome(dir, candidate.model(), candidate.test(), candidate.ownTest(), candidate.chatEval());
    }
}
