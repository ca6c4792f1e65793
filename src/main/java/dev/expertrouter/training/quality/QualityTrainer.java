package dev.expertrouter.training.quality;

import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.quality.QualityPredictor;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * Trains the quality predictor with Deeplearning4j: one network shared by all experts, features
 * -> dense ReLU (dropout) -> one sigmoid per expert. Each example carries a label for one expert
 * only (the one that answered), so the loss is masked per output: the label mask holds the
 * example's weight in that expert's column and 0 elsewhere, which also weighs user feedback above
 * the jury's. Sharing the hidden layer lets every expert's feedback teach what makes a prompt hard,
 * so an expert with little feedback still gets a sensible per-prompt shape, and serving is one
 * forward pass for all experts. Early stopping on a held-back tenth of the training examples.
 */
public final class QualityTrainer {

    /** Hyper-parameters. */
    public record Settings(int hidden, double dropoutRetain, double learningRate, double l2, int maxEpochs,
            int patience, int batchSize, long seed) {

        public static Settings defaults(long seed) {
            return new Settings(64, 0.8, 1e-3, 1e-3, 80, 8, 32, seed);
        }
    }

    public record Trained(MultiLayerNetwork network, QualityPredictor predictor, int epochs, double validationLoss) {
    }

    private final Settings settings;
    private final PrintStream progress;

    public QualityTrainer(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public Trained train(QualityDataset data, String version) {
        List<QualityExample> all = data.examples();
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no rated outcomes to learn from");
        }
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Random random = new Random(settings.seed());
        int[] order = shuffled(all.size(), random);
        int validation = all.size() >= 50 ? Math.max(10, all.size() / 10) : 0;
        int[] valRows = Arrays.copyOfRange(order, 0, validation);
        int[] trainRows = Arrays.copyOfRange(order, validation, order.length);
        int inputs = all.get(0).features().length;
        int experts = data.experts().size();
        Nd4j.getRandom().setSeed(settings.seed());
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(settings.seed())
                .updater(new Adam(settings.learningRate()))
                .l2(settings.l2())
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(settings.hidden()).activation(Activation.RELU)
                        .dropOut(settings.dropoutRetain()).build())
                .layer(new OutputLayer.Builder(new LossBinaryXENT()).nIn(settings.hidden()).nOut(experts)
                        .activation(Activation.SIGMOID).build())
                .build());
        net.init();
        DataSet valSet = validation == 0 ? null : dataSet(all, valRows, experts);
        double best = Double.POSITIVE_INFINITY;
        var bestParams = net.params().dup();
        int bestEpoch = 0;
        int epochs = validation == 0 ? Math.min(settings.maxEpochs(), 30) : settings.maxEpochs();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] rows = shuffled(trainRows.length, random);
            for (int start = 0; start < rows.length; start += settings.batchSize()) {
                int end = Math.min(rows.length, start + settings.batchSize());
                int[] batch = new int[end - start];
                for (int i = start; i < end; i++) {
                    batch[i - start] = trainRows[rows[i]];
                }
                net.fit(dataSet(all, batch, experts));
            }
            if (valSet == null) {
                bestEpoch = epoch;
                bestParams = net.params().dup();
                continue;
            }
            double loss = net.score(valSet);
            if (loss < best - 1e-5) {
                best = loss;
                bestParams = net.params().dup();
                bestEpoch = epoch;
            }
            if (epoch - bestEpoch >= settings.patience()) {
                break;
            }
        }
        net.setParams(bestParams);
        progress.printf(Locale.ROOT, "quality predictor: %d examples, %d experts, kept epoch %d (validation loss %.4f)%n",
                all.size(), experts, bestEpoch, best);
        QualityPredictor predictor = new QualityPredictor(version, data.embedderId(), data.dimension(), data.domains(),
                data.experts(), data.evidence(all), RouterModelLoader.headOf(net));
        return new Trained(net, predictor, bestEpoch, best);
    }

    /** Labels and a per-output mask: the weight in the answering expert's column, zero elsewhere. */
    static DataSet dataSet(List<QualityExample> all, int[] rows, int experts) {
        float[][] features = new float[rows.length][];
        float[][] labels = new float[rows.length][experts];
        float[][] mask = new float[rows.length][experts];
        for (int r = 0; r < rows.length; r++) {
            QualityExample x = all.get(rows[r]);
            features[r] = x.features();
            labels[r][x.expert()] = x.good() ? 1f : 0f;
            mask[r][x.expert()] = (float) x.weight();
        }
        return new DataSet(Nd4j.create(features), Nd4j.create(labels), null, Nd4j.create(mask));
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
