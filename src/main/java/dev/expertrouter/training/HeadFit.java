package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.MlpHead;
import dev.expertrouter.routing.classifier.RouterModel;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The heads step: the ensemble trained on the training split with early stopping on validation,
 * its temperature fitted on validation, and the validation report. Without a refit these members
 * ship; with one they only choose the epoch count.
 *
 * @param heldOutHeads the calibrated heads' probabilities on validation (what the blend is fitted on
 *                     when there is no refit)
 */
record HeadFit(HeadTrainer trainer, HeadTrainer.Trained trained, RouterModel uncalibrated, RouterModel model,
        double temperature, double[][] heldOutHeads, ClassificationReport validation) {

    static HeadFit fit(TrainOptions options, TrainingData data, EmbeddedSet trainSet, EmbeddedSet valSet,
            String embedderId, PrintStream out) {
        List<String> labels = data.labels();
        int[] classDomains = data.classDomains();
        EmbeddedSet weighted = trainSet.expanded();
        double[] classWeights = HeadTrainer.domainBalancedWeights(weighted.c, classDomains, labels.size(),
                options.head().classWeightPower());
        out.printf(Locale.ROOT, "head: %d fine classes over %d domains, ensemble of %d%n", data.classes().size(),
                labels.size(), options.head().members());
        HeadTrainer trainer = new HeadTrainer(options.head(), out);
        HeadTrainer.Trained trained = trainer.train(weighted.x, weighted.c, valSet.x, valSet.c, data.classes().size(),
                classWeights, classDomains, labels.size());
        RouterModel uncalibrated = new RouterModel(options.version(), embedderId, labels, classDomains, trained.heads(), 1.0);
        double[][] valLogits = new double[valSet.size()][];
        for (int i = 0; i < valLogits.length; i++) {
            valLogits[i] = uncalibrated.meanLogits(valSet.x[i]);
        }
        double temperature = TemperatureScaling.fit(valLogits, valSet.y, classDomains, labels.size());
        RouterModel model = uncalibrated.withTemperature(temperature);
        out.printf(Locale.ROOT, "temperature scaling on validation: T = %.4f (single members pooled: T = %.4f)%n",
                temperature, singleMemberTemperature(trained.heads(), valSet, classDomains, labels.size()));
        double[][] heldOut = Evaluation.probabilities(model, valSet);
        ClassificationReport report = ClassificationReport.of(labels, valSet.y, heldOut);
        out.print(report.table("validation (MMLU + own)"));
        return new HeadFit(trainer, trained, uncalibrated, model, temperature, heldOut, report);
    }

    private static double singleMemberTemperature(List<MlpHead> heads, EmbeddedSet set, int[] classDomains, int domains) {
        double[][] logits = new double[heads.size() * set.size()][];
        int[] truth = new int[logits.length];
        int r = 0;
        for (MlpHead head : heads) {
            for (int i = 0; i < set.size(); i++) {
                logits[r] = Evaluation.logits(head, set.x[i]);
                truth[r++] = set.y[i];
            }
        }
        return TemperatureScaling.fit(logits, truth, classDomains, domains);
    }
}
