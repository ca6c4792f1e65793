package dev.expertrouter.training;

import dev.expertrouter.Sha256;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The data and split steps: the MMLU questions and the project's own examples, split per source
 * 60/20/20 stratified by domain, the domain labels and fine classes they define, and, for a
 * retrain, the outcomes whose feedback corrected the router's domain, split the same way. The test
 * split is MMLU only so its score is comparable across versions; own examples and corrections are
 * scored apart, and both join the regression set the promotion gates compare on.
 */
record TrainingData(
        List<LabelledPrompt> mmlu,
        List<LabelledPrompt> own,
        List<DataFile> files,
        List<String> labels,
        List<String> classes,
        int[] classDomains,
        List<RouterArtifactWriter.ClassEntry> classTable,
        List<LabelledPrompt> train,
        List<LabelledPrompt> validation,
        List<LabelledPrompt> test,
        List<LabelledPrompt> ownTest,
        Corrections corrections,
        Optional<ChatEvalSet> chatEval) {

    /** The corrections, split like the base data; those naming a domain no example has are dropped. */
    record Corrections(List<CorrectedExample> train, List<CorrectedExample> validation, List<CorrectedExample> test,
            int dropped) {

        static final Corrections NONE = new Corrections(List.of(), List.of(), List.of(), 0);

        int size() {
            return train.size() + validation.size() + test.size();
        }
    }

    static TrainingData load(TrainOptions options, List<CorrectedExample> corrections, PrintStream out) {
        List<LabelledPrompt> mmlu = new ArrayList<>();
        List<DataFile> dataFiles = new ArrayList<>();
        if (options.mmluDir().isPresent()) {
            MmluDataset.Loaded loaded = MmluDataset.load(options.mmluDir().get());
            mmlu.addAll(loaded.prompts());
            dataFiles.addAll(loaded.files());
        }
        DomainExamples.Loaded examples = DomainExamples.load(options.examplesDir());
        dataFiles.addAll(examples.files());
        List<LabelledPrompt> chat = new ArrayList<>();
        if (options.chatExamplesDir().isPresent()) {
            DomainExamples.Loaded loaded = DomainExamples.load(options.chatExamplesDir().get());
            loaded.prompts().forEach(p -> chat.add(new LabelledPrompt("chat-" + p.id(), p.text(), p.domain(),
                    p.fineClass(), p.source())));
            dataFiles.addAll(loaded.files());
        }
        DomainExamples.Loaded own = new DomainExamples.Loaded(concat(examples.prompts(), chat), List.of());
        out.printf(Locale.ROOT, "data: %d MMLU questions, %d own examples (%d of them chat-style, from %s)%n",
                mmlu.size(), own.prompts().size(), chat.size(),
                options.chatExamplesDir().map(Path::toString).orElse("no directory"));

        StratifiedSplit mmluSplit = StratifiedSplit.of(mmlu, options.validationFraction(), options.testFraction(), options.seed());
        // Each directory of own examples is split on its own, so adding the chat-style ones moves
        // none of the others between train and test (a version is not judged on rows the serving
        // one trained on).
        StratifiedSplit examplesSplit = StratifiedSplit.of(examples.prompts(), options.validationFraction(),
                options.testFraction(), options.seed());
        StratifiedSplit chatSplit = StratifiedSplit.of(chat, options.validationFraction(), options.testFraction(),
                options.seed());
        StratifiedSplit ownSplit = new StratifiedSplit(concat(examplesSplit.train(), chatSplit.train()),
                concat(examplesSplit.validation(), chatSplit.validation()), concat(examplesSplit.test(), chatSplit.test()));
        List<LabelledPrompt> train = concat(mmluSplit.train(), ownSplit.train());
        List<LabelledPrompt> validation = concat(mmluSplit.validation(), ownSplit.validation());
        List<LabelledPrompt> test = mmlu.isEmpty() ? ownSplit.test() : mmluSplit.test();

        TreeSet<String> domainSet = new TreeSet<>();
        mmlu.forEach(p -> domainSet.add(p.domain()));
        own.prompts().forEach(p -> domainSet.add(p.domain()));
        List<String> labels = List.copyOf(domainSet);
        TreeSet<String> classSet = new TreeSet<>();
        mmlu.forEach(p -> classSet.add(p.fineClass()));
        own.prompts().forEach(p -> classSet.add(p.fineClass()));
        Corrections split = splitCorrections(corrections, domainSet, options);
        // A corrected outcome is chat traffic: it trains its domain's chat class, which exists
        // only when own examples name the domain; make sure it does.
        for (CorrectedExample e : corrections) {
            if (domainSet.contains(e.domain())) {
                classSet.add(LabelledPrompt.ownClass(e.domain()));
            }
        }
        List<String> classes = List.copyOf(classSet);
        int[] classDomains = new int[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            classDomains[c] = -1;
        }
        for (LabelledPrompt p : concat(mmlu, own.prompts())) {
            classDomains[classes.indexOf(p.fineClass())] = labels.indexOf(p.domain());
        }
        for (CorrectedExample e : corrections) {
            if (domainSet.contains(e.domain())) {
                classDomains[classes.indexOf(LabelledPrompt.ownClass(e.domain()))] = labels.indexOf(e.domain());
            }
        }
        List<RouterArtifactWriter.ClassEntry> classTable = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            classTable.add(new RouterArtifactWriter.ClassEntry(classes.get(c), labels.get(classDomains[c])));
        }
        out.printf(Locale.ROOT, "split (seed %d): train %d, validation %d, test %d (%s), own test %d; domains %s%n",
                options.seed(), train.size(), validation.size(), test.size(), mmlu.isEmpty() ? "own" : "MMLU",
                ownSplit.test().size(), labels);
        if (!corrections.isEmpty()) {
            out.printf(Locale.ROOT, "corrections: %d (train %d, validation %d, regression %d; %d dropped for an unknown domain)%n",
                    split.size(), split.train().size(), split.validation().size(), split.test().size(), split.dropped());
        }
        Optional<ChatEvalSet> chatEval = options.chatEvalDir()
                .map(dir -> ChatEvalSet.load(dir, labels, concat(mmlu, own.prompts())));
        out.println(chatEval.map(e -> "chat-style held-out set: " + e.prompts().size() + " prompts from " + e.dir()
                + " (never trained on, none shared with the training data)")
                .orElse("chat-style held-out set: none (no --chat-eval directory)"));
        return new TrainingData(List.copyOf(mmlu), own.prompts(), List.copyOf(dataFiles), labels, classes, classDomains,
                List.copyOf(classTable), train, validation, test, ownSplit.test(), split, chatEval);
    }

    /**
     * Each correction's side is fixed by its request id's hash, not by a shuffle of the whole list:
     * as outcomes accumulate, a correction held out for the regression set of one retrain stays
     * held out in the next, so no version is judged on rows an earlier one trained on.
     */
    private static Corrections splitCorrections(List<CorrectedExample> corrections, Set<String> domains,
            TrainOptions options) {
        if (corrections.isEmpty()) {
            return Corrections.NONE;
        }
        List<CorrectedExample> train = new ArrayList<>();
        List<CorrectedExample> validation = new ArrayList<>();
        List<CorrectedExample> test = new ArrayList<>();
        int dropped = 0;
        for (CorrectedExample e : corrections) {
            if (!domains.contains(e.domain())) {
                dropped++;
                continue;
            }
            byte[] h = Sha256.of(options.seed() + ":" + e.id());
            double u = (((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff)) / (double) (1 << 24);
            (u < options.testFraction() ? test : u < options.testFraction() + options.validationFraction() ? validation : train).add(e);
        }
        return new Corrections(List.copyOf(train), List.copyOf(validation), List.copyOf(test), dropped);
    }

    boolean testIsMmlu() {
        return !mmlu.isEmpty();
    }

    private static List<LabelledPrompt> concat(List<LabelledPrompt> a, List<LabelledPrompt> b) {
        List<LabelledPrompt> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
