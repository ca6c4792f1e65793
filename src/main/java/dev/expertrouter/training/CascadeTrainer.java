package dev.expertrouter.training;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.classifier.EmbeddingClassifier;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.classifier.StaticStage;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code train-cascade}: builds the cascade's first stage on top of a served router version and
 * measures it against that version. Static token vectors are distilled from the shipped MiniLM
 * (every vocabulary id run alone through it, between [CLS] and [SEP]), weighted by SIF
 * (a / (a + p(token)), token frequencies from the training prompts) and mean-pooled; a linear
 * softmax head is trained on the same split as the base version, its temperature fitted on
 * validation, and its decision threshold is the lowest confidence at which its decisions on
 * validation are at least {@code --precision} right. The cascade (stage one when confident, the
 * base version otherwise) is then scored on the base version's MMLU test split and out of fold.
 *
 * <p>Report only: it writes nothing. Serving the cascade needs these gates to hold first.
 */
public final class CascadeTrainer {

    private static final double SIF_A = 1e-3;

    private final PrintStream out;

    public CascadeTrainer(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** {@code --data DIR --examples DIR --models DIR [--base VERSION] [--precision P] [--seed N]}. */
    public static int run(String[] args) {
        Path data = null;
        Path examples = null;
        Path models = Path.of("router-models");
        Optional<String> base = Optional.empty();
        double precision = 0.95;
        long seed = 42;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[i + 1]);
                case "--examples" -> examples = Path.of(args[i + 1]);
                case "--models" -> models = Path.of(args[i + 1]);
                case "--base" -> base = Optional.of(args[i + 1]);
                case "--precision" -> precision = Double.parseDouble(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                default -> {
                    System.err.println("train-cascade: unknown option " + args[i]);
                    return 2;
                }
            }
        }
        if (data == null || examples == null) {
            System.err.println("usage: train-cascade --data DIR --examples DIR [--models DIR] [--base VERSION] [--precision P]");
            return 2;
        }
        new CascadeTrainer(System.out).evaluate(data, examples, models, base, precision, seed);
        return 0;
    }

    record Split(List<String> texts, int[] y) {
    }

    public void evaluate(Path data, Path examples, Path models, Optional<String> base, double precision, long seed) {
        MmluDataset.Loaded mmlu = MmluDataset.load(data);
        DomainExamples.Loaded own = DomainExamples.load(examples);
        StratifiedSplit m = StratifiedSplit.of(mmlu.prompts(), 0.2, 0.2, seed);
        StratifiedSplit o = StratifiedSplit.of(own.prompts(), 0.2, 0.2, seed);
        TreeSet<String> domainSet = new TreeSet<>();
        mmlu.prompts().forEach(p -> domainSet.add(p.domain()));
        own.prompts().forEach(p -> domainSet.add(p.domain()));
        List<String> labels = List.copyOf(domainSet);
        PromptTextSelector selector = new PromptTextSelector();
        Split train = split(concat(m.train(), o.train()), labels, selector);
        Split val = split(concat(m.validation(), o.validation()), labels, selector);
        Split test = split(m.test(), labels, selector);

        MiniLmEmbedder miniLm = new MiniLmEmbedder();
        long t0 = System.nanoTime();
        int vocab = 30522;
        float[] table = distil(miniLm, vocab);
        out.printf(Locale.ROOT, "distilled %d token vectors in %.1f s%n", vocab, (System.nanoTime() - t0) / 1e9);
        float[] weights = sifWeights(miniLm, concat(train.texts(), val.texts()), vocab);

        StaticStage probe = new StaticStage(table, weights, 384, new float[labels.size() * 385], labels.size(), 1, 1,
                miniLm::tokenIds);
        float[][] xTrain = vectors(probe, train.texts());
        float[][] xVal = vectors(probe, val.texts());
        float[][] xTest = vectors(probe, test.texts());
        float[] head = SoftmaxRegression.fit(xTrain, train.y(), labels.size(), 1e-4, 400, seed);
        double temperature = SoftmaxRegression.temperature(head, xVal, val.y(), labels.size());
        StaticStage stage = new StaticStage(table, weights, 384, head, labels.size(), temperature, 1, miniLm::tokenIds);
        double[][] pVal = probabilities(stage, xVal);
        double threshold = threshold(pVal, val.y(), precision);
        out.printf(Locale.ROOT, "stage one: T = %.3f, threshold %.3f for %.2f precision on validation%n", temperature,
                threshold, precision);

        EmbeddingClassifier v4 = EmbeddingClassifier.fromModelsDir(models, base);
        double[][] pTestStatic = probabilities(stage, xTest);
        double[][] pTestBase = base(v4, test.texts(), labels);
        report("test (MMLU)", labels, test.y(), pTestStatic, pTestBase, threshold, v4.version());

        // Out of fold over train + validation: stage one refitted per fold, its threshold chosen on
        // the other folds' predictions; the base version's probabilities on these rows are
        // in-sample (it was trained on them), which flatters the base, not the cascade.
        List<String> poolTexts = concat(train.texts(), val.texts());
        int[] poolY = concatY(train.y(), val.y());
        float[][] xPool = vectors(probe, poolTexts);
        int k = 5;
        int[] fold = new int[poolY.length];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < fold.length; i++) {
            fold[i] = r.nextInt(k);
        }
        double[][] pOof = new double[poolY.length][];
        for (int f = 0; f < k; f++) {
            List<float[]> xs = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] != f) {
                    xs.add(xPool[i]);
                    ys.add(poolY[i]);
                }
            }
            float[] h = SoftmaxRegression.fit(xs.toArray(float[][]::new), ys.stream().mapToInt(Integer::intValue).toArray(),
                    labels.size(), 1e-4, 400, seed + f);
            StaticStage s = new StaticStage(table, weights, 384, h, labels.size(), temperature, 1, miniLm::tokenIds);
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] == f) {
                    pOof[i] = s.probabilities(xPool[i]);
                }
            }
        }
        double oofThreshold = threshold(pOof, poolY, precision);
        double[][] pPoolBase = base(v4, poolTexts, labels);
        report("out of fold (train + validation; base in-sample)", labels, poolY, pOof, pPoolBase, oofThreshold,
                v4.version());
    }

    private void report(String name, List<String> labels, int[] y, double[][] pStatic, double[][] pBase, double threshold,
            String baseVersion) {
        double[][] cascade = new double[y.length][];
        int decided = 0;
        for (int i = 0; i < y.length; i++) {
            boolean confident = pStatic[i] != null && maxOf(pStatic[i]) >= threshold;
            cascade[i] = confident ? pStatic[i] : pBase[i];
            decided += confident ? 1 : 0;
        }
        ClassificationReport b = ClassificationReport.of(labels, y, pBase);
        ClassificationReport s = ClassificationReport.of(labels, y, fill(pStatic, labels.size()));
        ClassificationReport c = ClassificationReport.of(labels, y, cascade);
        out.printf(Locale.ROOT, "%s, %d prompts: %s macro recall %.4f ECE %.4f | stage one alone %.4f ECE %.4f | "
                        + "cascade %.4f ECE %.4f, stage one decided %.1f%% (threshold %.3f)%n",
                name, y.length, baseVersion, b.macroRecall(), b.ece(), s.macroRecall(), s.ece(), c.macroRecall(), c.ece(),
                100.0 * decided / y.length, threshold);
    }

    /** The lowest confidence at which stage one's decisions are at least {@code precision} right. */
    static double threshold(double[][] p, int[] y, double precision) {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            if (p[i] != null) {
                int best = argmax(p[i]);
                rows.add(new double[] {p[i][best], best == y[i] ? 1 : 0});
            }
        }
        rows.sort((a, b) -> Double.compare(b[0], a[0]));
        double threshold = 1.0 + 1e-9; // nothing decided unless some prefix is precise enough
        int right = 0;
        for (int i = 0; i < rows.size(); i++) {
            right += (int) rows.get(i)[1];
            if (i >= 19 && (double) right / (i + 1) >= precision) {
                threshold = rows.get(i)[0];
            }
        }
        return threshold;
    }

    private static float[] distil(MiniLmEmbedder miniLm, int vocab) {
        long cls = miniLm.tokenId("[CLS]");
        long sep = miniLm.tokenId("[SEP]");
        float[] table = new float[vocab * 384];
        int batch = 512;
        for (int start = 0; start < vocab; start += batch) {
            int n = Math.min(batch, vocab - start);
            long[][] ids = new long[n][];
            for (int i = 0; i < n; i++) {
                ids[i] = new long[] {cls, start + i, sep};
            }
            float[][] v = miniLm.embedIdBatch(ids);
            for (int i = 0; i < n; i++) {
                System.arraycopy(v[i], 0, table, (start + i) * 384, 384);
            }
        }
        return table;
    }

    private static float[] sifWeights(MiniLmEmbedder miniLm, List<String> texts, int vocab) {
        long[] counts = new long[vocab];
        long total = 0;
        for (String t : texts) {
            for (long id : miniLm.tokenIds(t)) {
                counts[(int) id]++;
                total++;
            }
        }
        float[] w = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            w[i] = (float) (SIF_A / (SIF_A + (double) counts[i] / Math.max(1, total)));
        }
        return w;
    }

    private static float[][] vectors(StaticStage stage, List<String> texts) {
        float[][] x = new float[texts.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = stage.vector(texts.get(i));
        }
        return x;
    }

    private static double[][] probabilities(StaticStage stage, float[][] x) {
        double[][] p = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            p[i] = x[i] == null ? null : stage.probabilities(x[i]);
        }
        return p;
    }

    private static double[][] base(EmbeddingClassifier classifier, List<String> texts, List<String> labels) {
        RouterModel model = classifier.model();
        if (!model.labels().equals(labels)) {
            throw new IllegalStateException("base version's labels " + model.labels() + " differ from the data's " + labels);
        }
        double[][] p = new double[texts.size()][];
        for (int i = 0; i < p.length; i++) {
            var c = classifier.classify(new ChatPrompt(List.of(new ChatPrompt.Turn("user", texts.get(i)))));
            p[i] = new double[labels.size()];
            for (int d = 0; d < labels.size(); d++) {
                p[i][d] = c.scores().getOrDefault(labels.get(d), 0.0);
            }
        }
        return p;
    }

    private static Split split(List<LabelledPrompt> prompts, List<String> labels, PromptTextSelector selector) {
        List<String> texts = new ArrayList<>();
        int[] y = new int[prompts.size()];
        for (int i = 0; i < y.length; i++) {
            LabelledPrompt p = prompts.get(i);
            texts.add(selector.select(new ChatPrompt(List.of(new ChatPrompt.Turn("user", p.text())))));
            y[i] = labels.indexOf(p.domain());
        }
        return new Split(texts, y);
    }

    private static double[][] fill(double[][] p, int k) {
        double[][] f = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            f[i] = p[i] != null ? p[i] : uniform(k);
        }
        return f;
    }

    private static double[] uniform(int k) {
        double[] u = new double[k];
        java.util.Arrays.fill(u, 1.0 / k);
        return u;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double maxOf(double[] p) {
        return p[argmax(p)];
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int[] concatY(int[] a, int[] b) {
        int[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
