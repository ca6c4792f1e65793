package dev.expertrouter.training;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.routing.ChatPrompt;
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
        HeadTrainer.Trained trained = new HeadTrainer(options.head(), out)
                .train(trainSet.x, trainSet.c, valSet.x, valSet.c, classes.size(), classWeights, classDomains, labels.size());
        RouterModel uncalibrated = new RouterModel(options.version(), embedder.id(), labels, classDomains,
                trained.heads(), 1.0);
        double[][] valLogits = new double[valSet.x.length][];
        for (int i = 0; i < valLogits.length; i++) {
            valLogits[i] = uncalibrated.meanLogits(valSet.x[i]);
        }
        double temperature = TemperatureScaling.fit(valLogits, valSet.y, classDomains, labels.size());
        RouterModel model = uncalibrated.withTemperature(temperature);
        out.printf(Locale.ROOT, "temperature scaling on validation: T = %.4f%n", temperature);

        ClassificationReport valReport = evaluate(model, valSet);
        ClassificationReport testReport = evaluate(model, testSet);
        ClassificationReport ownReport = evaluate(model, ownTestSet);
        ClassificationReport testUncalibrated = evaluate(uncalibrated, testSet);
        out.print(valReport.table("validation (MMLU + own)"));
        out.print(testReport.table(mmlu.isEmpty() ? "test (own examples)" : "test (MMLU held-out)"));
        out.print(ownReport.table("own examples, held-out"));
        out.printf(Locale.ROOT, "test ECE before calibration %.4f, after %.4f%n", testUncalibrated.ece(), testReport.ece());

        ObjectNode metadata = RouterArtifactWriter.JSON.createObjectNode();
        metadata.put("format", RouterArtifactFiles.FORMAT);
        metadata.put("version", options.version());
        metadata.put("created", Instant.now().toString());
        metadata.put("embedder", embedder.id());
        metadata.put("embeddingDimension", embedder.dimension());
        metadata.putPOJO("labels", labels);
        metadata.put("classes", classes.size());
        metadata.put("members", trained.heads().size());
        metadata.put("seed", options.seed());
        ObjectNode selection = metadata.putObject("textSelection");
        selection.put("maxChars", PromptTextSelector.DEFAULT_MAX_CHARS);
        selection.put("shortFocusChars", PromptTextSelector.DEFAULT_SHORT_FOCUS_CHARS);
        metadata.set("head", RouterArtifactWriter.JSON.valueToTree(options.head()));
        ObjectNode calibration = metadata.putObject("calibration");
        calibration.put("method", "temperature");
        calibration.put("temperature", temperature);
        calibration.put("fittedOn", "validation");
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
        metrics.put("testEceUncalibrated", testUncalibrated.ece());
        metadata.put("trainingSeconds", (System.nanoTime() - started) / 1e9);

        Path dir = RouterArtifactWriter.write(options.outDir(), options.version(), labels, classTable, trained.networks(),
                temperature, metadata);
        if (options.promote()) {
            RouterArtifactWriter.promote(options.outDir(), options.version());
        }
        out.printf(Locale.ROOT, "wrote %s%s in %.1f s%n", dir, options.promote() ? " (now current)" : "",
                (System.nanoTime() - started) / 1e9);
        return new Outcome(dir, model, testReport, ownReport);
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
        double[][] probabilities = new double[set.x.length][];
        for (int i = 0; i < set.x.length; i++) {
            probabilities[i] = model.probabilities(set.x[i]);
        }
        return ClassificationReport.of(model.labels(), set.y, probabilities);
    }

    private static List<LabelledPrompt> concat(List<LabelledPrompt> a, List<LabelledPrompt> b) {
        List<LabelledPrompt> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
