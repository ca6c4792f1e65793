package dev.expertrouter.training.quality;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.quality.QualityModelFiles;
import dev.expertrouter.routing.quality.QualityPredictor;
import dev.expertrouter.training.FeedbackBounds;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The retrain's quality step, for one new router version: train the quality predictor from the
 * rated outcomes ({@link QualityTraining}), and write it into {@code <version>/quality/} when its
 * gate passes. When it is skipped (too few rated outcomes) or refused, the serving predictor, if
 * any, is carried into the new version unchanged, so promoting the version keeps predicting as
 * before rather than silently dropping to the per-domain priors. Either way the step's report is
 * kept in {@code <version>/quality-report.json} and returned. Framework-free.
 */
public final class QualityRelease {

    /** The file beside the router's metadata recording what the quality step did. */
    public static final String REPORT = "quality-report.json";

    /**
     * @param minRatedOutcomes fewer usable rated outcomes than this: the step is skipped
     * @param heldOutShare     the newest share of rated outcomes the gate judges on
     * @param maxRatedPerTenant the most rated outcomes one tenant's requests contribute (the newest)
     */
    public record Settings(int minRatedOutcomes, QualityDataset.Labelling labelling, QualityTrainer.Settings trainer,
            QualityGate.Thresholds thresholds, double heldOutShare, int maxRatedPerTenant) {

        /** The default of {@code router.retrain.quality.max-rated-per-tenant}. */
        public static final int DEFAULT_MAX_RATED_PER_TENANT = 2000;
        /** The defaults of {@code router.retrain.quality.*}, shared by the gateway and the offline retrain. */
        public static final int DEFAULT_MIN_RATED_OUTCOMES = 300;
        public static final double DEFAULT_GOOD_THRESHOLD = 0.5;
        public static final double DEFAULT_JURY_WEIGHT = 0.5;
        public static final double DEFAULT_HELD_OUT_SHARE = 0.2;
        public static final int DEFAULT_EPOCHS = 80;

        public Settings {
            if (maxRatedPerTenant < 1) {
                throw new IllegalArgumentException("max-rated-per-tenant must be >= 1, got " + maxRatedPerTenant);
            }
            if (minRatedOutcomes < 1) {
                throw new IllegalArgumentException("min-rated-outcomes must be >= 1, got " + minRatedOutcomes);
            }
            if (!(heldOutShare > 0 && heldOutShare < 1)) {
                throw new IllegalArgumentException("held-out-share must be in (0, 1), got " + heldOutShare);
            }
            if (trainer.maxEpochs() < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + trainer.maxEpochs());
            }
            // the gate needs its held-out rows: asking for fewer outcomes than that could never pass
            if (Math.round(minRatedOutcomes * heldOutShare) < thresholds.minHeldOut()) {
                throw new IllegalArgumentException("min-rated-outcomes " + minRatedOutcomes + " x held-out-share "
                        + heldOutShare + " leaves fewer than the gate's " + thresholds.minHeldOut() + " held-out outcomes");
            }
        }
    }

    /**
     * The step's settings from the values of {@code router.retrain.quality.*} (or the offline
     * retrain's options), the trainer's other hyper-parameters at their defaults.
     *
     * @throws IllegalArgumentException naming the value out of range
     */
    public static Settings settings(int minRatedOutcomes, double goodThreshold, double juryWeight, double heldOutShare,
            int epochs, int maxRatedPerTenant) {
        QualityTrainer.Settings d = QualityTrainer.Settings.defaults(42);
        return new Settings(minRatedOutcomes, new QualityDataset.Labelling(goodThreshold, 1.0, juryWeight),
                new QualityTrainer.Settings(d.hidden(), d.dropoutRetain(), d.learningRate(), d.l2(), epochs, d.patience(),
                        d.batchSize(), d.seed()),
                QualityGate.Thresholds.DEFAULTS, heldOutShare, maxRatedPerTenant);
    }

    /** What happened to the quality predictor of a new version. */
    public enum Status {
        /** trained, gate passed, written */
        TRAINED,
        /** trained, gate refused; the serving predictor (if any) carried */
        REFUSED,
        /** not trained (too few rated outcomes, no outcome log); the serving predictor (if any) carried */
        SKIPPED,
        /** training failed; the serving predictor (if any) carried */
        FAILED
    }

    /**
     * @param usable      rated outcomes with an embedding from the serving embedder, within the per-tenant bounds
     * @param carriedFrom the version whose serving predictor was copied into this one, when one was
     * @param gate        the gate's report when a predictor was trained
     * @param bounds      what the per-tenant bounds kept, capped and ignored, when outcomes were read
     */
    public record Report(Status status, String reason, int ratedOutcomes, int usable, Optional<String> carriedFrom,
            Optional<QualityGate.Report> gate, Optional<FeedbackBounds.Selection<RatedOutcome>> bounds) {

        /** A report without outcomes read (no outcome log, a failure). */
        public Report(Status status, String reason, int ratedOutcomes, int usable, Optional<String> carriedFrom,
                Optional<QualityGate.Report> gate) {
            this(status, reason, ratedOutcomes, usable, carriedFrom, gate, Optional.empty());
        }

        /** The new version holds a predictor (trained or carried). */
        public boolean predictorWritten() {
            return status == Status.TRAINED || carriedFrom.isPresent();
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("status", status.name().toLowerCase(Locale.ROOT));
            n.put("reason", reason);
            n.put("ratedOutcomes", ratedOutcomes);
            n.put("usable", usable);
            carriedFrom.ifPresent(v -> n.put("carriedFrom", v));
            gate.ifPresent(g -> n.set("gate", Json.MAPPER.valueToTree(g)));
            bounds.ifPresent(b -> n.set("bounds", b.toJson()));
            return n;
        }
    }

    private final Settings settings;
    private final FeedbackBounds bounds;
    private final PrintStream log;

    /**
     * @param trustOfTenant a tenant's trust (tenants.yaml {@code trust}, 0..1), empty for a tenant not
     *                      configured
     */
    public QualityRelease(Settings settings, Function<String, OptionalDouble> trustOfTenant, PrintStream log) {
        this.settings = settings;
        this.bounds = new FeedbackBounds(trustOfTenant, settings.maxRatedPerTenant());
        this.log = log;
    }

    /**
     * @param rated      rated (and unrated) outcomes oldest first; empty when there is no outcome log
     * @param domains    the new router's domains (the score features' order)
     * @param versionDir the new version's directory (written, not yet serving)
     * @param serving    the predictor in service and the version directory it was loaded from
     */
    public Report run(Optional<List<RatedOutcome>> rated, List<String> domains, String embedderId, Path versionDir,
            Optional<QualityPredictor> serving, Optional<Path> servingDir) {
        Report report;
        if (rated.isEmpty()) {
            report = carry(Status.SKIPPED, "no outcome log to learn from", 0, 0, Optional.empty(), versionDir, servingDir);
        } else {
            List<RatedOutcome> outcomes = rated.get();
            int withFeedback = (int) outcomes.stream().filter(r -> r.feedback().isPresent()).count();
            QualityDataset data = QualityDataset.from(outcomes, domains, embedderId, settings.labelling(), bounds);
            int usable = data.examples().size();
            if (data.bounds().leftAnythingOut()) {
                log.printf(Locale.ROOT, "quality predictor: rated outcomes left out: %s%n", data.bounds().leftOut());
            }
            if (usable < settings.minRatedOutcomes()) {
                report = carry(Status.SKIPPED, String.format(Locale.ROOT,
                        "%d rated outcomes with an embedding from %s, fewer than router.retrain.quality.min-rated-outcomes (%d)",
                        usable, embedderId, settings.minRatedOutcomes()), withFeedback, usable, Optional.empty(),
                        versionDir, servingDir);
            } else {
                report = train(data, versionDir, serving, servingDir, withFeedback, usable);
            }
            report = new Report(report.status(), report.reason(), report.ratedOutcomes(), report.usable(),
                    report.carriedFrom(), report.gate(), Optional.of(data.bounds()));
        }
        writeReport(versionDir, report);
        log.printf(Locale.ROOT, "quality predictor of %s: %s (%s)%s%n", versionDir.getFileName(),
                report.status().name().toLowerCase(Locale.ROOT), report.reason(),
                report.carriedFrom().map(v -> "; serving predictor of " + v + " carried").orElse(""));
        return report;
    }

    /** @param data the rated outcomes' dataset, built once with this step's labelling and bounds */
    private Report train(QualityDataset data, Path versionDir, Optional<QualityPredictor> serving,
            Optional<Path> servingDir, int withFeedback, int usable) {
        String version = versionDir.getFileName().toString();
        QualityTraining.Result result;
        try {
            result = new QualityTraining(settings.labelling(), settings.trainer(), settings.thresholds(),
                    settings.heldOutShare(), bounds, log).run(data, version, serving);
        } catch (RuntimeException e) {
            return carry(Status.FAILED, "training failed: " + e.getMessage(), withFeedback, usable, Optional.empty(),
                    versionDir, servingDir);
        }
        QualityGate.Report gate = result.gate();
        if (!gate.passed()) {
            return carry(Status.REFUSED, "gate against the " + gate.reference() + " refused: " + gate.failures(),
                    withFeedback, usable, Optional.of(gate), versionDir, servingDir);
        }
        ObjectNode extra = Json.MAPPER.createObjectNode();
        extra.put("ratedOutcomes", usable);
        extra.put("heldOutShare", settings.heldOutShare());
        extra.put("maxRatedPerTenant", settings.maxRatedPerTenant());
        extra.put("epochs", result.trained().epochs());
        extra.set("trainer", Json.MAPPER.valueToTree(settings.trainer()));
        QualityArtifactWriter.write(versionDir, result.trained().network(), result.trained().predictor(),
                settings.labelling(), gate, extra);
        return new Report(Status.TRAINED, "gate against the " + gate.reference() + " passed", withFeedback, usable,
                Optional.empty(), Optional.of(gate));
    }

    /** Copies the serving predictor's files into the new version, when one serves. */
    private static Report carry(Status status, String reason, int rated, int usable, Optional<QualityGate.Report> gate,
            Path versionDir, Optional<Path> servingDir) {
        Optional<Path> source = servingDir.map(d -> d.resolve(QualityModelFiles.DIRECTORY)).filter(Files::isDirectory);
        Optional<String> carried = Optional.empty();
        if (source.isPresent() && !source.get().getParent().normalize().equals(versionDir.normalize())) {
            copyDirectory(source.get(), versionDir);
            carried = Optional.of(source.get().getParent().getFileName().toString());
        }
        return new Report(status, reason, rated, usable, carried, gate);
    }

    private static void copyDirectory(Path source, Path versionDir) {
        Path target = versionDir.resolve(QualityModelFiles.DIRECTORY);
        Path temp = versionDir.resolve("." + QualityModelFiles.DIRECTORY + "-" + System.nanoTime() + ".tmp");
        try {
            Files.createDirectories(temp);
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, temp.resolve(f.getFileName()));
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot carry the quality predictor " + source + " into " + target, e);
        }
    }

    private static void writeReport(Path versionDir, Report report) {
        writeJson(versionDir.resolve(REPORT), report.toJson());
    }

    /** A step's report, indented, beside the version's other files. */
    static void writeJson(Path file, ObjectNode json) {
        try {
            Files.writeString(file, Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
