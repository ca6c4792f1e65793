package dev.expertrouter.training.quality;

import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.quality.QualityPredictor;
import dev.expertrouter.training.FeedbackBounds;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * The retraining job's quality step: rated outcomes -> dataset -> chronological split (the newest
 * {@code heldOutShare} are held out, so the gate judges on outcomes that came after what the
 * predictor learned from) -> DL4J training -> gate against the serving predictor or the per-domain
 * baseline. Writing is the caller's decision ({@link QualityArtifactWriter}), on a passed gate.
 */
public final class QualityTraining {

    public record Result(QualityDataset data, QualityTrainer.Trained trained, QualityGate.Report gate) {
    }

    private final QualityDataset.Labelling labelling;
    private final QualityTrainer.Settings settings;
    private final QualityGate gate;
    private final double heldOutShare;
    private final PrintStream progress;
    private final FeedbackBounds bounds;

    /** Every rated outcome fully trusted and uncapped: for tests and tools that feed trusted data. */
    public QualityTraining(QualityDataset.Labelling labelling, QualityTrainer.Settings settings,
            QualityGate.Thresholds thresholds, double heldOutShare, PrintStream progress) {
        this(labelling, settings, thresholds, heldOutShare, FeedbackBounds.UNBOUNDED, progress);
    }

    /** @param bounds each tenant's trust and cap on its rated outcomes */
    public QualityTraining(QualityDataset.Labelling labelling, QualityTrainer.Settings settings,
            QualityGate.Thresholds thresholds, double heldOutShare, FeedbackBounds bounds, PrintStream progress) {
        if (!(heldOutShare > 0 && heldOutShare < 1)) {
            throw new IllegalArgumentException("heldOutShare must be in (0, 1), got " + heldOutShare);
        }
        this.labelling = labelling;
        this.settings = settings;
        this.gate = new QualityGate(thresholds);
        this.heldOutShare = heldOutShare;
        this.progress = progress;
        this.bounds = bounds;
    }

    /**
     * @param rated   outcomes oldest first, as {@link dev.expertrouter.outcomes.OutcomeHistory#read} gives them
     * @param domains the serving router's domains (the score features' order)
     * @param serving the predictor in service, if any: the reference the gate compares with
     */
    public Result run(List<RatedOutcome> rated, List<String> domains, String embedderId, String version,
            Optional<QualityPredictor> serving) {
        return run(QualityDataset.from(rated, domains, embedderId, labelling, bounds), version, serving);
    }

    /**
     * @param all the dataset already built from the rated outcomes (with this step's labelling and
     *            bounds), oldest first
     */
    public Result run(QualityDataset all, String version, Optional<QualityPredictor> serving) {
        List<QualityExample> examples = all.examples();
        int cut = (int) Math.round(examples.size() * (1 - heldOutShare));
        List<QualityExample> train = examples.subList(0, cut);
        List<QualityExample> heldOut = examples.subList(cut, examples.size());
        QualityDataset trainSet = all.withExamples(train);
        QualityTrainer.Trained trained = new QualityTrainer(settings, progress).train(trainSet, version);
        DomainBaseline baseline = new DomainBaseline(train, all.experts().size(), 5);
        QualityScorer reference = serving.<QualityScorer>map(s -> QualityScorer.of(s, baseline)).orElse(baseline);
        QualityGate.Report report = gate.check(QualityScorer.of(trained.predictor(), baseline), reference,
                serving.isPresent(), heldOut, all.experts());
        progress.printf("quality gate vs %s: %s (candidate %s, reference %s)%s%n", report.reference(),
                report.passed() ? "passed" : "REFUSED", report.candidate(), report.baseline(),
                report.failures().isEmpty() ? "" : " " + report.failures());
        return new Result(trainSet, trained, report);
    }
}
