package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.MlpHead;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Trains the ensemble of MLP heads with Deeplearning4j: embedding -> dense ReLU (dropout) ->
 * softmax over the domains, Adam, L2, class-weighted cross-entropy (so a small domain such as
 * {@code code} is not drowned by {@code humanities}), early stopping on validation loss. Each
 * member differs only by seed, which is what makes the ensemble's average better calibrated and
 * more accurate than one net.
 */
public final class HeadTrainer {

    /** Hyper-parameters; defaults are what the shipped model used. */
    public record Settings(int members, int hidden, double dropoutRetain, double learningRate, double l2,
            int maxEpochs, int patience, int batchSize, double classWeightPower, long seed, double labelSmoothing) {

        public Settings(int members, int hidden, double dropoutRetain, double learningRate, double l2, int maxEpochs,
                int patience, int batchSize, double classWeightPower, long seed) {
            this(members, hidden, dropoutRetain, learningRate, l2, maxEpochs, patience, batchSize, classWeightPower, seed, 0);
        }

        public static Settings defaults(long seed) {
            return new Settings(5, 256, 0.7, 1e-3, 1e-4, 60, 8, 32, 1.0, seed, 0);
        }

        public Settings withBatchSize(int newBatchSize) {
            if (newBatchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, was " + newBatchSize);
            }
            return new Settings(members, hidden, dropoutRetain, learningRate, l2, maxEpochs, patience, newBatchSize,
                    classWeightPower, seed, labelSmoothing);
        }
    }

    /** The members, their heads, and per member the epoch early stopping kept (0 when trained for a fixed count). */
    public record Trained(List<MultiLayerNetwork> networks, List<MlpHead> heads, List<Integer> keptEpochs) {

        public Trained(List<MultiLayerNetwork> networks, List<MlpHead> heads) {
            this(networks, heads, List.of());
        }
    }

    private final Settings settings;
    private final PrintStream progress;

    public HeadTrainer(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * @param trainY       fine class index per training example
     * @param classWeights loss weight per fine class (see {@link #domainBalancedWeights})
     */
    public Trained train(float[][] trainX, int[] trainY, float[][] valX, int[] valY, int classes, double[] classWeights,
            int[] classDomains, int domains) {
        // Minibatches of 32 x 384 are far too small to gain from OpenMP threads; on a shared or
        // busy machine spinning threads made each epoch several times slower.
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        INDArray lossWeights = Nd4j.create(classWeights, 1, classes);
        List<MultiLayerNetwork> networks = new ArrayList<>();
        List<MlpHead> heads = new ArrayList<>();
        List<Integer> keptEpochs = new ArrayList<>();
        for (int m = 0; m < settings.members(); m++) {
            long memberSeed = settings.seed() + 7919L * m;
            Nd4j.getRandom().setSeed(memberSeed);
            MultiLayerNetwork net = new MultiLayerNetwork(configuration(trainX[0].length, classes, lossWeights, memberSeed));
            net.init();
            Random shuffle = new Random(memberSeed);
            double bestLoss = Double.POSITIVE_INFINITY;
            INDArray bestParams = net.params().dup();
            int bestEpoch = 0;
            for (int epoch = 1; epoch <= settings.maxEpochs(); epoch++) {
                int[] order = shuffled(trainX.length, shuffle);
                double lossSum = 0;
                int batches = 0;
                for (int start = 0; start < order.length; start += settings.batchSize()) {
                    int end = Math.min(order.length, start + settings.batchSize());
                    int[] batch = java.util.Arrays.copyOfRange(order, start, end);
                    net.fit(dataSet(trainX, trainY, classes, batch, settings.labelSmoothing()));
                    lossSum += net.score();
                    batches++;
                }
                // Stop on what serving uses: the domain-level NLL of the summed class probabilities.
                double valLoss = domainNll(toHead(net), valX, valY, classDomains, domains);
                if (valLoss < bestLoss - 1e-4) {
                    bestLoss = valLoss;
                    bestParams = net.params().dup();
                    bestEpoch = epoch;
                }
                if (epoch == 1 || epoch % 5 == 0 || epoch - bestEpoch >= settings.patience()) {
                    double valAccuracy = domainAccuracy(toHead(net), valX, valY, classDomains, domains);
                    progress.printf(Locale.ROOT, "member %d/%d epoch %3d  train-loss %.4f  val-loss %.4f  val-acc %.4f (domain level)%n",
                            m + 1, settings.members(), epoch, lossSum / batches, valLoss, valAccuracy);
                }
                if (epoch - bestEpoch >= settings.patience()) {
                    break;
                }
            }
            net.setParams(bestParams);
            progress.printf(Locale.ROOT, "member %d/%d kept epoch %d (val-loss %.4f, val-acc %.4f)%n",
                    m + 1, settings.members(), bestEpoch, bestLoss,
                    domainAccuracy(toHead(net), valX, valY, classDomains, domains));
            networks.add(net);
            heads.add(toHead(net));
            keptEpochs.add(bestEpoch);
        }
        return new Trained(networks, heads, List.copyOf(keptEpochs));
    }

    /**
     * Trains one member for exactly {@code epochs} epochs, without early stopping: used to refit on
     * more data once the epoch count has been chosen on validation.
     */
    public MultiLayerNetwork trainFixedEpochs(float[][] trainX, int[] trainY, int classes, double[] classWeights,
            int epochs, long memberSeed) {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        INDArray lossWeights = Nd4j.create(classWeights, 1, classes);
        Nd4j.getRandom().setSeed(memberSeed);
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(trainX[0].length, classes, lossWeights, memberSeed));
        net.init();
        Random shuffle = new Random(memberSeed);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = shuffled(trainX.length, shuffle);
            for (int start = 0; start < order.length; start += settings.batchSize()) {
                int end = Math.min(order.length, start + settings.batchSize());
                net.fit(dataSet(trainX, trainY, classes, java.util.Arrays.copyOfRange(order, start, end),
                        settings.labelSmoothing()));
            }
        }
        return net;
    }

    private MultiLayerConfiguration configuration(int inputs, int classes, INDArray classWeights, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(settings.learningRate()))
                .l2(settings.l2())
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(settings.hidden())
                        .activation(Activation.RELU).dropOut(settings.dropoutRetain()).build())
                .layer(new OutputLayer.Builder(new LossMCXENT(classWeights)).nIn(settings.hidden()).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    public static MlpHead toHead(MultiLayerNetwork net) {
        return RouterModelLoader.headOf(net);
    }

    /**
     * Loss weight per fine class such that every domain weighs {@code (n / (domains * n_domain))^power}
     * per example: power 1 balances domains (what macro-recall rewards), 0 leaves them as sampled.
     * Normalised so the mean weight over training examples is 1.
     */
    public static double[] domainBalancedWeights(int[] trainClass, int[] classDomains, int domains, double power) {
        int[] perDomain = new int[domains];
        for (int c : trainClass) {
            perDomain[classDomains[c]]++;
        }
        double[] domainWeight = new double[domains];
        for (int d = 0; d < domains; d++) {
            domainWeight[d] = perDomain[d] == 0 ? 0
                    : Math.pow((double) trainClass.length / (domains * perDomain[d]), power);
        }
        double mean = 0;
        for (int c : trainClass) {
            mean += domainWeight[classDomains[c]];
        }
        mean /= Math.max(1, trainClass.length);
        double[] weights = new double[classDomains.length];
        for (int c = 0; c < weights.length; c++) {
            weights[c] = domainWeight[classDomains[c]] / mean;
        }
        return weights;
    }

    private static double domainNll(MlpHead head, float[][] x, int[] classY, int[] classDomains, int domains) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double[] p = domainProbabilities(head, x[i], classDomains, domains);
            sum -= Math.log(Math.max(1e-12, p[classDomains[classY[i]]]));
        }
        return sum / Math.max(1, x.length);
    }

    private static double domainAccuracy(MlpHead head, float[][] x, int[] classY, int[] classDomains, int domains) {
        int hits = 0;
        for (int i = 0; i < x.length; i++) {
            double[] p = domainProbabilities(head, x[i], classDomains, domains);
            int best = 0;
            for (int d = 1; d < domains; d++) {
                if (p[d] > p[best]) {
                    best = d;
                }
            }
            if (best == classDomains[classY[i]]) {
                hits++;
            }
        }
        return x.length == 0 ? 0 : (double) hits / x.length;
    }

    private static double[] domainProbabilities(MlpHead head, float[] x, int[] classDomains, int domains) {
        float[] logits = head.logits(x);
        double[] asDouble = new double[logits.length];
        for (int k = 0; k < logits.length; k++) {
            asDouble[k] = logits[k];
        }
        return RouterModel.domainProbabilities(asDouble, 1.0, classDomains, domains);
    }

    /** Targets are one-hot, or with label smoothing {@code eps}: {@code 1 - eps + eps/C} and {@code eps/C}. */
    private static DataSet dataSet(float[][] x, int[] y, int classes, int[] rows, double smoothing) {
        float[][] features = new float[rows.length][];
        float[][] labels = new float[rows.length][classes];
        float off = (float) (smoothing / classes);
        for (int r = 0; r < rows.length; r++) {
            features[r] = x[rows[r]];
            if (off > 0) {
                java.util.Arrays.fill(labels[r], off);
            }
            labels[r][y[rows[r]]] = (float) (1 - smoothing) + off;
        }
        return new DataSet(Nd4j.create(features), Nd4j.create(labels));
    }

    private static int[] allIndices(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = allIndices(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
