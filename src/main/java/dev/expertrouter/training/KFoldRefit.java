package dev.expertrouter.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.routing.classifier.MlpHead;
import dev.expertrouter.routing.classifier.RouterModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The k-fold refit step: train + validation is cut into K folds stratified by fine class, member k
 * is trained on the other K-1 folds for the epoch count early stopping chose (the median of the
 * members'), and the temperature is fitted on the pooled out-of-fold predictions, each example
 * scored by the one member that did not see it.
 *
 * @param pool         train + validation, in the order the folds index
 * @param fold         fold per pool row
 * @param heldOutHeads the calibrated out-of-fold probabilities (what the blend is fitted on)
 */
record KFoldRefit(RouterModel uncalibrated, RouterModel model, double temperature, List<MultiLayerNetwork> networks,
        EmbeddedSet pool, int[] fold, double[][] heldOutHeads, ClassificationReport outOfFold, ObjectNode metadata,
        String fittedOn) {

    static KFoldRefit fit(TrainOptions options, TrainingData data, HeadFit heads, EmbeddedSet trainSet,
            EmbeddedSet valSet, String embedderId, PrintStream out) {
        int k = options.refitFolds();
        List<String> labels = data.labels();
        int[] classDomains = data.classDomains();
        List<Integer> kept = new ArrayList<>(heads.trained().keptEpochs());
        Collections.sort(kept);
        int epochs = Math.max(1, kept.get(kept.size() / 2));
        EmbeddedSet pool = EmbeddedSet.concat(trainSet, valSet);
        int[] fold = folds(pool.c, k, options.seed());
        double[][] oofLogits = new double[pool.size()][];
        List<MultiLayerNetwork> nets = new ArrayList<>();
        List<MlpHead> members = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            EmbeddedSet fit = pool.select(fold, f, false).expanded();
            double[] w = HeadTrainer.domainBalancedWeights(fit.c, classDomains, labels.size(),
                    options.head().classWeightPower());
            long started = System.nanoTime();
            MultiLayerNetwork net = heads.trainer().trainFixedEpochs(fit.x, fit.c, data.classes().size(), w, epochs,
                    options.seed() + 7919L * f);
            MlpHead head = HeadTrainer.toHead(net);
            for (int i = 0; i < pool.size(); i++) {
                if (fold[i] == f) {
                    oofLogits[i] = Evaluation.logits(head, pool.x[i]);
                }
            }
            nets.add(net);
            members.add(head);
            out.printf(Locale.ROOT, "refit member %d/%d: %d examples, %d epochs, %.1f s%n", f + 1, k, fit.size(),
                    epochs, (System.nanoTime() - started) / 1e9);
        }
        double temperature = TemperatureScaling.fit(oofLogits, pool.y, classDomains, labels.size());
        double[][] oofP = new double[pool.size()][];
        for (int i = 0; i < oofP.length; i++) {
            oofP[i] = RouterModel.domainProbabilities(oofLogits[i], temperature, classDomains, labels.size());
        }
        ClassificationReport report = ClassificationReport.of(labels, pool.y, oofP);
        out.printf(Locale.ROOT, "temperature scaling on %d-fold out-of-fold predictions (train + validation): T = %.4f%n",
                k, temperature);
        out.print(report.table("out-of-fold, train + validation (MMLU + own)"));
        RouterModel uncalibrated = new RouterModel(options.version(), embedderId, labels, classDomains, members, 1.0);
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("folds", k);
        node.put("epochs", epochs);
        node.putPOJO("earlyStoppingEpochs", heads.trained().keptEpochs());
        node.put("examples", pool.size());
        return new KFoldRefit(uncalibrated, uncalibrated.withTemperature(temperature), temperature, nets, pool, fold,
                oofP, report, node, k + "-fold out-of-fold predictions over train + validation");
    }

    /** Fold per row, stratified by fine class: each class's rows are shuffled with the seed and dealt round-robin. */
    static int[] folds(int[] fineClass, int k, long seed) {
        Map<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < fineClass.length; i++) {
            byClass.computeIfAbsent(fineClass[i], c -> new ArrayList<>()).add(i);
        }
        int[] fold = new int[fineClass.length];
        Random random = new Random(seed * 31 + k);
        int next = 0;
        for (List<Integer> rows : byClass.values()) {
            Collections.shuffle(rows, random);
            for (int row : rows) {
                fold[row] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }
}
