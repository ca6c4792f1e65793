package dev.expertrouter.training;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.classifier.MlpHead;
import dev.expertrouter.routing.classifier.NeighbourBlend;
import dev.expertrouter.routing.classifier.NeighbourIndex;
import dev.expertrouter.routing.classifier.RouterArtifactFiles;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * {@code train}: builds a router model version from the MMLU questions and the project's own
 * examples, prints progress and a metrics table, and writes {@code router-models/<version>/}.
 * Reproducible: the split, initialisation and shuffling all derive from {@code --seed}.
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
        long started = System.nanoTime();
        if (java.nio.file.Files.exists(options.outDir().resolve(options.version()))) {
            // Checked again when writing; failing here saves the embedding and training time.
            throw new IllegalArgumentException("router model version already exists: "
                    + options.outDir().resolve(options.version()));
        }
        List<LabelledPrompt> mmlu = new ArrayList<>();
        List<DataFile> dataFiles = new ArrayList<>();
        if (options.mmluDir().isPresent()) {
            MmluDataset.Loaded loaded = MmluDataset.load(options.mmluDir().get());
            mmlu.addAll(loaded.prompts());
            dataFiles.addAll(loaded.files());
        }
        DomainExamples.Loaded own = DomainExamples.load(options.examplesDir());
        dataFiles.addAll(own.files());
        out.printf(Locale.ROOT, "data: %d MMLU questions, %d own examples%n", mmlu.size(), own.prompts().size());

        StratifiedSplit mmluSplit = StratifiedSplit.of(mmlu, options.validationFraction(), options.testFraction(), options.seed());
        StratifiedSplit ownSplit = StratifiedSplit.of(own.prompts(), options.validationFraction(), options.testFraction(), options.seed());
        List<LabelledPrompt> train = concat(mmluSplit.train(), ownSplit.train());
        List<LabelledPrompt> validation = concat(mmluSplit.validation(), ownSplit.validation());
        // The test split is MMLU only so its score is comparable; own examples are scored apart.
        List<LabelledPrompt> test = mmlu.isEmpty() ? ownSplit.test() : mmluSplit.test();
        List<LabelledPrompt> ownTest = ownSplit.test();

        TreeSet<String> domainSet = new TreeSet<>();
        mmlu.forEach(p -> domainSet.add(p.domain()));
        own.prompts().forEach(p -> domainSet.add(p.domain()));
        List<String> labels = List.copyOf(domainSet);
        TreeSet<String> classSet = new TreeSet<>();
        mmlu.forEach(p -> classSet.add(p.fineClass()));
        own.prompts().forEach(p -> classSet.add(p.fineClass()));
        List<String> classes = List.copyOf(classSet);
        int[] classDomains = new int[classes.size()];
        List<RouterArtifactWriter.ClassEntry> classTable = new ArrayList<>();
        for (LabelledPrompt p : concat(mmlu, own.prompts())) {
            int c = classes.indexOf(p.fineClass());
            classDomains[c] = labels.indexOf(p.domain());
        }
        for (int c = 0; c < classes.size(); c++) {
            classTable.add(new RouterArtifactWriter.ClassEntry(classes.get(c), labels.get(classDomains[c])));
        }
        out.printf(Locale.ROOT, "split (seed %d): train %d, validation %d, test %d (%s), own test %d; domains %s%n",
                options.seed(), train.size(), validation.size(), test.size(), mmlu.isEmpty() ? "own" : "MMLU",
                ownTest.size(), labels);

        Embedded trainSet = embed("train", train, labels, classes);
        Embedded valSet = embed("validation", validation, labels, classes);
        Embedded testSet = embed("test", test, labels, classes);
        Embedded ownTestSet = embed("own test", ownTest, labels, classes);

        double[] classWeights = HeadTrainer.domainBalancedWeights(trainSet.c, classDomains, labels.size(),
                options.head().classWeightPower());
        out.printf(Locale.ROOT, "head: %d fine classes over %d domains, ensemble of %d%n", classes.size(),
                labels.size(), options.head().members());
        HeadTrainer trainer = new HeadTrainer(options.head(), out);
        HeadTrainer.Trained trained = trainer
                .train(trainSet.x, trainSet.c, valSet.x, valSet.c, classes.size(), classWeights, classDomains, labels.size());
        RouterModel uncalibrated = new RouterModel(options.version(), embedder.id(), labels, classDomains,
                trained.heads(), 1.0);
        double[][] valLogits = new double[valSet.x.length][];
        for (int i = 0; i < valLogits.length; i++) {
            valLogits[i] = uncalibrated.meanLogits(valSet.x[i]);
        }
        double temperature = TemperatureScaling.fit(valLogits, valSet.y, classDomains, labels.size());
        RouterModel model = uncalibrated.withTemperature(temperature);
        out.printf(Locale.ROOT, "temperature scaling on validation: T = %.4f (single members pooled: T = %.4f)%n",
                temperature, singleMemberTemperature(trained.heads(), valSet, classDomains, labels.size()));
        // The heads' calibrated probabilities on the held-out set their temperature was fitted on:
        // validation here, out-of-fold predictions after a refit. The neighbour blend is fitted on them too.
        double[][] heldOutHeads = probabilities(model, valSet);
        ClassificationReport valReport = ClassificationReport.of(labels, valSet.y, heldOutHeads);
        out.print(valReport.table("validation (MMLU + own)"));

        ObjectNode refitNode = null;
        ClassificationReport oofReport = null;
        List<org.deeplearning4j.nn.multilayer.MultiLayerNetwork> networks = trained.networks();
        String fittedOn = "validation";
        Embedded pool = null;
        int[] fold = null;
        if (options.refitFolds() >= 2) {
            // Refit on train + validation: the epoch count is the one early stopping chose on
            // validation; the temperature is fitted on out-of-fold predictions of the K members.
            int k = options.refitFolds();
            List<Integer> kept = new ArrayList<>(trained.keptEpochs());
            java.util.Collections.sort(kept);
            int epochs = Math.max(1, kept.get(kept.size() / 2));
            pool = Embedded.concat(trainSet, valSet);
            fold = folds(pool.c, k, options.seed());
            double[][] oofLogits = new double[pool.x.length][];
            List<org.deeplearning4j.nn.multilayer.MultiLayerNetwork> foldNets = new ArrayList<>();
            List<MlpHead> foldHeads = new ArrayList<>();
            for (int f = 0; f < k; f++) {
                Embedded fit = pool.select(fold, f, false);
                double[] w = HeadTrainer.domainBalancedWeights(fit.c, classDomains, labels.size(),
                        options.head().classWeightPower());
                long started2 = System.nanoTime();
                org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = trainer.trainFixedEpochs(fit.x, fit.c,
                        classes.size(), w, epochs, options.seed() + 7919L * f);
                MlpHead head = HeadTrainer.toHead(net);
                for (int i = 0; i < pool.x.length; i++) {
                    if (fold[i] == f) {
                        float[] l = head.logits(pool.x[i]);
                        double[] d = new double[l.length];
                        for (int c = 0; c < l.length; c++) {
                            d[c] = l[c];
                        }
                        oofLogits[i] = d;
                    }
                }
                foldNets.add(net);
                foldHeads.add(head);
                out.printf(Locale.ROOT, "refit member %d/%d: %d examples, %d epochs, %.1f s%n", f + 1, k, fit.x.length,
                        epochs, (System.nanoTime() - started2) / 1e9);
            }
            temperature = TemperatureScaling.fit(oofLogits, pool.y, classDomains, labels.size());
            double[][] oofP = new double[pool.x.length][];
            for (int i = 0; i < oofP.length; i++) {
                oofP[i] = RouterModel.domainProbabilities(oofLogits[i], temperature, classDomains, labels.size());
            }
            heldOutHeads = oofP;
            oofReport = ClassificationReport.of(labels, pool.y, oofP);
            out.printf(Locale.ROOT, "temperature scaling on %d-fold out-of-fold predictions (train + validation): T = %.4f%n",
                    k, temperature);
            out.print(oofReport.table("out-of-fold, train + validation (MMLU + own)"));
            uncalibrated = new RouterModel(options.version(), embedder.id(), labels, classDomains, foldHeads, 1.0);
            model = uncalibrated.withTemperature(temperature);
            networks = foldNets;
            fittedOn = k + "-fold out-of-fold predictions over train + validation";
            refitNode = RouterArtifactWriter.JSON.createObjectNode();
            refitNode.put("folds", k);
            refitNode.put("epochs", epochs);
            refitNode.putPOJO("earlyStoppingEpochs", trained.keptEpochs());
            refitNode.put("examples", pool.x.length);
        }

        TrainOptions.Neighbours nb = options.neighbours();
        BlendFit blendFit = nb.enabled()
                ? fitNeighbourBlend(nb, labels, heldOutHeads, trainSet, valSet, pool, fold)
                : null;
        NeighbourBlend blend = blendFit == null ? null : blendFit.blend();
        ClassificationReport blendHeldOut = blendFit == null ? null : blendFit.heldOut();
        RouterModel headsOnly = model;
        if (blend != null) {
            model = model.withNeighbours(blend);
        }

        ClassificationReport testReport = evaluate(model, testSet);
        ClassificationReport ownReport = evaluate(model, ownTestSet);
        ClassificationReport testUncalibrated = evaluate(uncalibrated, testSet);
        ClassificationReport testHeads = blend == null ? null : evaluate(headsOnly, testSet);
        if (testHeads != null) {
            out.print(testHeads.table("test (MMLU held-out), heads alone"));
        }
        out.print(testReport.table(mmlu.isEmpty() ? "test (own examples)" : "test (MMLU held-out)"));
        out.print(ownReport.table("own examples, held-out"));
        out.printf(Locale.ROOT, "test ECE of the uncalibrated heads %.4f, of the served model %.4f%n",
                testUncalibrated.ece(), testReport.ece());

        ObjectNode metadata = RouterArtifactWriter.JSON.createObjectNode();
        metadata.put("format", RouterArtifactFiles.FORMAT);
        metadata.put("version", options.version());
        metadata.put("created", Instant.now().toString());
        metadata.put("embedder", embedder.id());
        metadata.put("embeddingDimension", embedder.dimension());
        metadata.putPOJO("labels", labels);
        metadata.put("classes", classes.size());
        metadata.put("members", networks.size());
        metadata.put("seed", options.seed());
        ObjectNode selection = metadata.putObject("textSelection");
        selection.put("maxChars", PromptTextSelector.DEFAULT_MAX_CHARS);
        selection.put("shortFocusChars", PromptTextSelector.DEFAULT_SHORT_FOCUS_CHARS);
        metadata.set("head", RouterArtifactWriter.JSON.valueToTree(options.head()));
        ObjectNode calibration = metadata.putObject("calibration");
        calibration.put("method", "temperature");
        calibration.put("temperature", temperature);
        calibration.put("fittedOn", fittedOn);
        if (blend != null) {
            ObjectNode neighboursNode = RouterArtifactWriter.neighboursSettings(blend);
            calibration.set("neighbours", neighboursNode);
            neighboursNode.put("rows", blend.index().size());
            if (blend.index().whitened()) {
                neighboursNode.put("whiteningShrinkage", WhiteningFit.DEFAULT_SHRINKAGE);
            }
            neighboursNode.put("fittedOn", pool != null ? fittedOn : "validation, against an index of the training rows");
        }
        if (refitNode != null) {
            metadata.set("refit", refitNode);
        }
        ArrayNode data = metadata.putArray("data");
        dataFiles.forEach(f -> data.add(RouterArtifactWriter.JSON.valueToTree(f)));
        ObjectNode split = metadata.putObject("split");
        split.put("validationFraction", options.validationFraction());
        split.put("testFraction", options.testFraction());
        split.put("stratifiedBy", "domain");
        split.put("train", train.size());
        split.put("validation", validation.size());
        split.put("test", test.size());
        split.put("testSource", mmlu.isEmpty() ? LabelledPrompt.OWN : LabelledPrompt.MMLU);
        split.put("ownTest", ownTest.size());
        ObjectNode metrics = metadata.putObject("metrics");
        metrics.set("test", RouterArtifactWriter.JSON.valueToTree(testReport));
        metrics.set("ownTest", RouterArtifactWriter.JSON.valueToTree(ownReport));
        metrics.set("validation", RouterArtifactWriter.JSON.valueToTree(valReport));
        if (oofReport != null) {
            // validation scores the early-stopped members that chose the epoch count; outOfFold
            // scores the refit recipe (each example predicted by the member that did not see it).
            metrics.set("outOfFold", RouterArtifactWriter.JSON.valueToTree(oofReport));
        }
        if (blendHeldOut != null) {
            // The served recipe on the same held-out predictions: heads blended with the vote.
            metrics.set(pool != null ? "outOfFoldWithNeighbours" : "validationWithNeighbours",
                    RouterArtifactWriter.JSON.valueToTree(blendHeldOut));
            metrics.set("testHeadsOnly", RouterArtifactWriter.JSON.valueToTree(testHeads));
        }
        metrics.put("testEceUncalibrated", testUncalibrated.ece());
        metadata.put("trainingSeconds", (System.nanoTime() - started) / 1e9);

        Path dir = RouterArtifactWriter.write(options.outDir(), options.version(), labels, classTable, networks,
                temperature, blend, metadata);
        if (options.promote()) {
            RouterArtifactWriter.promote(options.outDir(), options.version());
        }
        out.printf(Locale.ROOT, "wrote %s%s in %.1f s%n", dir, options.promote() ? " (now current)" : "",
                (System.nanoTime() - started) / 1e9);
        return new Outcome(dir, model, testReport, ownReport);
    }

    /** The fitted blend and its held-out score. */
    private record BlendFit(NeighbourBlend blend, ClassificationReport heldOut) {
    }

    /**
     * Builds the neighbour vote and fits its blend temperature on the same held-out predictions as
     * the heads' temperature: out-of-fold after a refit (each example's vote from the other folds'
     * rows), else validation against an index of the training rows.
     *
     * @param heads the heads' calibrated probabilities for those held-out examples
     */
    private BlendFit fitNeighbourBlend(TrainOptions.Neighbours nb, List<String> labels, double[][] heads,
            Embedded trainSet, Embedded valSet, Embedded pool, int[] fold) {
        boolean outOfFold = pool != null;
        Embedded heldOut = outOfFold ? pool : valSet;
        // The served index: over train+validation after a refit, else over the training rows,
        // which then also give the validation examples their votes.
        NeighbourIndex served = (outOfFold ? pool : trainSet).index(labels.size(), nb);
        double[][] votes = new double[heldOut.x.length][];
        if (outOfFold) {
            int folds = java.util.Arrays.stream(fold).max().orElse(0) + 1;
            for (int f = 0; f < folds; f++) {
                NeighbourIndex others = pool.select(fold, f, false).index(labels.size(), nb);
                for (int i = 0; i < pool.x.length; i++) {
                    if (fold[i] == f) {
                        votes[i] = others.probabilities(pool.x[i]);
                    }
                }
            }
        } else {
            for (int i = 0; i < valSet.x.length; i++) {
                votes[i] = served.probabilities(valSet.x[i]);
            }
        }
        NeighbourBlend unfitted = new NeighbourBlend(served, nb.headWeight(), 1.0);
        double[][] scores = new double[heads.length][];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = unfitted.scores(heads[i], votes[i]);
        }
        int[] identity = new int[labels.size()];
        for (int d = 0; d < identity.length; d++) {
            identity[d] = d;
        }
        double blendTemperature = TemperatureScaling.fit(scores, heldOut.y, identity, labels.size());
        double[][] blended = new double[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            blended[i] = RouterModel.softmax(scores[i], blendTemperature);
        }
        ClassificationReport report = ClassificationReport.of(labels, heldOut.y, blended);
        String on = outOfFold ? "out-of-fold" : "validation";
        out.printf(Locale.ROOT, "neighbour vote: k %d, tau %.3f, balance %.2f, %s space over %d rows; heads' weight "
                + "%.2f; blend temperature on %s predictions: T = %.4f%n", nb.k(), nb.tau(), nb.balance(),
                RouterArtifactFiles.space(served.whitened()), served.size(), nb.headWeight(), on, blendTemperature);
        out.print(report.table(on + ", heads + neighbours"));
        return new BlendFit(unfitted.withTemperature(blendTemperature), report);
    }

    private static final class Embedded {
        final float[][] x;
        final int[] y;
        final int[] c;

        Embedded(float[][] x, int[] y, int[] c) {
            this.x = x;
            this.y = y;
            this.c = c;
        }

        static Embedded concat(Embedded a, Embedded b) {
            int n = a.x.length + b.x.length;
            float[][] x = java.util.Arrays.copyOf(a.x, n);
            int[] y = java.util.Arrays.copyOf(a.y, n);
            int[] c = java.util.Arrays.copyOf(a.c, n);
            System.arraycopy(b.x, 0, x, a.x.length, b.x.length);
            System.arraycopy(b.y, 0, y, a.y.length, b.y.length);
            System.arraycopy(b.c, 0, c, a.c.length, b.c.length);
            return new Embedded(x, y, c);
        }

        NeighbourIndex index(int domains, TrainOptions.Neighbours settings) {
            return new NeighbourIndex(x, y, domains, settings.k(), settings.tau(), settings.balance(),
                    settings.whitened() ? WhiteningFit.fit(x) : null);
        }

        /** The rows whose fold is {@code f} ({@code inFold}) or is not. */
        Embedded select(int[] fold, int f, boolean inFold) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < fold.length; i++) {
                if ((fold[i] == f) == inFold) {
                    rows.add(i);
                }
            }
            float[][] sx = new float[rows.size()][];
            int[] sy = new int[rows.size()];
            int[] sc = new int[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                sx[r] = x[rows.get(r)];
                sy[r] = y[rows.get(r)];
                sc[r] = c[rows.get(r)];
            }
            return new Embedded(sx, sy, sc);
        }
    }

    /** Fold per row, stratified by fine class: each class's rows are shuffled with the seed and dealt round-robin. */
    static int[] folds(int[] fineClass, int k, long seed) {
        java.util.Map<Integer, List<Integer>> byClass = new java.util.TreeMap<>();
        for (int i = 0; i < fineClass.length; i++) {
            byClass.computeIfAbsent(fineClass[i], c -> new ArrayList<>()).add(i);
        }
        int[] fold = new int[fineClass.length];
        java.util.Random random = new java.util.Random(seed * 31 + k);
        int next = 0;
        for (List<Integer> rows : byClass.values()) {
            java.util.Collections.shuffle(rows, random);
            for (int row : rows) {
                fold[row] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    private static double singleMemberTemperature(List<MlpHead> heads, Embedded set, int[] classDomains, int domains) {
        double[][] logits = new double[heads.size() * set.x.length][];
        int[] truth = new int[logits.length];
        int r = 0;
        for (MlpHead head : heads) {
            for (int i = 0; i < set.x.length; i++) {
                float[] l = head.logits(set.x[i]);
                double[] d = new double[l.length];
                for (int c = 0; c < l.length; c++) {
                    d[c] = l[c];
                }
                logits[r] = d;
                truth[r++] = set.y[i];
            }
        }
        return TemperatureScaling.fit(logits, truth, classDomains, domains);
    }

    private Embedded embed(String name, List<LabelledPrompt> prompts, List<String> labels, List<String> classes) {
        float[][] x = new float[prompts.size()][];
        int[] y = new int[prompts.size()];
        int[] c = new int[prompts.size()];
        long started = System.nanoTime();
        for (int i = 0; i < prompts.size(); i++) {
            LabelledPrompt p = prompts.get(i);
            // The same text selection as serving, so training sees what the router will see.
            String text = selector.select(new ChatPrompt(List.of(new ChatPrompt.Turn("user", p.text()))));
            x[i] = embedder.embed(text);
            y[i] = labels.indexOf(p.domain());
            c[i] = classes.indexOf(p.fineClass());
        }
        out.printf(Locale.ROOT, "embedded %s: %d prompts in %.1f s%n", name, prompts.size(), (System.nanoTime() - started) / 1e9);
        return new Embedded(x, y, c);
    }

    private static ClassificationReport evaluate(RouterModel model, Embedded set) {
        return ClassificationReport.of(model.labels(), set.y, probabilities(model, set));
    }

    private static double[][] probabilities(RouterModel model, Embedded set) {
        double[][] probabilities = new double[set.x.length][];
        for (int i = 0; i < set.x.length; i++) {
            probabilities[i] = model.probabilities(set.x[i]);
        }
        return probabilities;
    }

    private static List<LabelledPrompt> concat(List<LabelledPrompt> a, List<LabelledPrompt> b) {
        List<LabelledPrompt> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
