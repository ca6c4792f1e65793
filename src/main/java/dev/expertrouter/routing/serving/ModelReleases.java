package dev.expertrouter.routing.serving;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.GatewayClock;
import dev.expertrouter.Json;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.outcomes.OutcomeHistory;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.quality.QualityModelFiles;
import dev.expertrouter.routing.quality.QualityModelLoader;
import dev.expertrouter.routing.quality.QualityPredictor;
import dev.expertrouter.training.quality.QualityDataset;
import dev.expertrouter.training.quality.QualityRelease;
import dev.expertrouter.training.quality.VerifierRelease;
import dev.expertrouter.routing.quality.AnswerVerifierFiles;
import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.training.PromotionGates;
import dev.expertrouter.training.RetrainSchedule;
import dev.expertrouter.training.Retrainer;
import dev.expertrouter.training.TrainOptions;
import dev.expertrouter.training.VersionCatalog;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The router's release cycle: retrain a candidate (one at a time, on one low-priority thread, so
 * serving keeps its cores), judge it by the gates, promote it when they pass and
 * {@code router.retrain.auto-promote} allows, else let it shadow; promote or roll back on an
 * operator's word; list the versions. Retraining also runs on {@code router.retrain.schedule}.
 */
@ApplicationScoped
public class ModelReleases {

    private static final Logger LOG = Logger.getLogger(ModelReleases.class);

    /**
     * A finished retrain: the candidate, the gates' verdict, whether it now serves, and what became
     * of its quality predictor.
     */
    public record RetrainOutcome(Retrainer.Result result, boolean promoted, String note, QualityRelease.Report quality) {
    }

    private final RouterSettings settings;
    private final ServingRouter router;
    private final ShadowRouter shadow;
    private final Instance<OutcomeHistory> history;
    private final GatewayClock clock;
    private final Retrainer.Settings retrainSettings;
    private final ServingQualityPredictor quality;
    private final QualityRelease.Settings qualitySettings;
    private final VerifierRelease.Settings verifierSettings;
    private final ServingVerifiers verifiers;
    private final ConfigHolder config;
    private final AtomicBoolean retraining = new AtomicBoolean();
    private final ExecutorService retrainThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(() -> {
            LowPriority.apply();
            r.run();
        }, "router-retrain");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private ScheduledExecutorService timer;

    public ModelReleases(RouterSettings settings, ServingRouter router, ShadowRouter shadow,
            Instance<OutcomeHistory> history, GatewayClock clock, ServingQualityPredictor quality, ConfigHolder config,
            ServingVerifiers verifiers) {
        this.settings = settings;
        this.verifiers = verifiers;
        this.config = config;
        this.quality = quality;
        this.router = router;
        this.shadow = shadow;
        this.history = history;
        this.clock = clock;
        // Checked here, at start-up: a bad setting stops the gateway with its name, not the first retrain.
        this.retrainSettings = retrainSettings(settings.retrain(), settings.gates(), settings.modelsDir());
        this.qualitySettings = qualitySettings(settings.retrain().quality());
        this.verifierSettings = verifierSettings(settings.retrain().quality());
    }

    /** {@code router.retrain.*} and {@code router.gates.*} checked at start-up, naming the setting a bad value is in. */
    static Retrainer.Settings retrainSettings(RouterSettings.Retrain r, RouterSettings.Gates gates, String modelsDir) {
        Path root = Path.of(modelsDir);
        try {
            return new Retrainer.Settings(Optional.of(Path.of(r.mmluDir())), Path.of(r.examplesDir()), root,
                    Optional.of(r.embeddingCacheDir().map(Path::of).orElse(root.resolve(TrainOptions.DEFAULT_CACHE_DIR))),
                    r.correctionWeight(), r.window(), r.maxOutcomes(), r.members(), r.refitFolds(), r.epochs(),
                    new PromotionGates.Settings(gates.recallEpsilon(), gates.maxNegativeFlipRate(), gates.maxEce()),
                    r.maxCorrectionsPerTenant());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("router." + e.getMessage(), e);
        }
    }

    /** {@code router.retrain.quality.*} checked at start-up, naming the setting a bad value is in. */
    static QualityRelease.Settings qualitySettings(RouterSettings.Retrain.Quality q) {
        try {
            return QualityRelease.settings(q.minRatedOutcomes(), q.goodThreshold(), q.juryWeight(), q.heldOutShare(),
                    q.epochs(), q.maxRatedPerTenant());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("router.retrain.quality: " + e.getMessage(), e);
        }
    }

    /** The answer verifiers' share of {@code router.retrain.quality.*}, checked at start-up. */
    static VerifierRelease.Settings verifierSettings(RouterSettings.Retrain.Quality q) {
        try {
            return new VerifierRelease.Settings(q.verifierMinRated(), q.verifierMinAuc(),
                    VerifierRelease.Settings.DEFAULT_MAX_AUC_DROP,
                    new QualityDataset.Labelling(q.goodThreshold(), 1.0, q.juryWeight()), q.heldOutShare(),
                    q.maxRatedPerTenant());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("router.retrain.quality: " + e.getMessage(), e);
        }
    }

    void onStart(@Observes StartupEvent event) {
        settings.shadow().version().ifPresent(v -> shadow.shadow(RouterModelLoader.load(router.root().resolve(v),
                router.embedder().id())));
        settings.retrain().schedule().ifPresent(interval -> {
            RetrainSchedule schedule = new RetrainSchedule(interval, clock, () -> {
                try {
                    retrain();
                } catch (IllegalStateException busy) {
                    LOG.infof("scheduled retrain skipped: %s", busy.getMessage());
                }
            });
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "router-retrain-schedule");
                t.setDaemon(true);
                return t;
            });
            long tick = Math.max(1, Math.min(interval.toSeconds(), 60));
            timer.scheduleWithFixedDelay(schedule::tick, tick, tick, TimeUnit.SECONDS);
            LOG.infof("router retrains every %s (first at %s)", interval, schedule.next());
        });
    }

    /**
     * Starts a retrain on the retrain thread.
     *
     * @throws IllegalStateException when one is already running
     */
    public CompletableFuture<RetrainOutcome> retrain() {
        if (!retraining.compareAndSet(false, true)) {
            throw new IllegalStateException("a retrain is already running");
        }
        try {
            return CompletableFuture.supplyAsync(this::retrainNow, retrainThread)
                    .whenComplete((r, e) -> retraining.set(false));
        } catch (RuntimeException e) {
            retraining.set(false);
            throw e;
        }
    }

    private RetrainOutcome retrainNow() {
        if (!Files.isDirectory(Path.of(settings.retrain().mmluDir()))) {
            throw new IllegalStateException("router.retrain.mmlu-dir " + Path.of(settings.retrain().mmluDir()).toAbsolutePath()
                    + " does not exist");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Retrainer retrainer = new Retrainer(retrainSettings, router.embedder(), router.selector(),
                history.isResolvable() ? Optional.of(history.get()) : Optional.empty(), this::trust, clock,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        Retrainer.Result result;
        try {
            result = retrainer.retrain(router.model().orElse(null));
        } finally {
            LOG.debugf("retrain log:%n%s", log.toString(StandardCharsets.UTF_8));
        }
        LOG.infof("retrained %s in %.1f s (%.1f s of CPU) from %d corrected outcomes (left out: %s): gates %s",
                result.version(), result.seconds(), result.cpuSeconds(), result.corrections(), result.bounds().leftOut(),
                result.verdict().passed() ? "passed" : "refused " + result.verdict().failed());
        QualityRelease.Report qualityReport = trainQuality(result);
        trainVerifiers(result);
        if (!result.verdict().passed()) {
            shadow.shadow(result.candidate().model());
            return new RetrainOutcome(result, false, "refused by " + result.verdict().failed(), qualityReport);
        }
        if (!settings.retrain().autoPromote()) {
            shadow.shadow(result.candidate().model());
            return new RetrainOutcome(result, false, "gates passed; router.retrain.auto-promote is off", qualityReport);
        }
        try {
            promote(result.version());
            shadow.shadow(null);
            return new RetrainOutcome(result, true, "promoted", qualityReport);
        } catch (IllegalStateException e) {
            return new RetrainOutcome(result, false, e.getMessage(), qualityReport);
        }
    }

    /**
     * The retrain's quality step: the predictor learns from the same window of outcomes, joined with
     * their feedback, and lands in the candidate's directory when its own gate passes (else the
     * serving predictor is carried there). A failure here never fails the router's retrain.
     */
    private QualityRelease.Report trainQuality(Retrainer.Result result) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try {
            QualityRelease.Report report = new QualityRelease(qualitySettings, this::trust, new PrintStream(log, true, StandardCharsets.UTF_8))
                    .run(result.outcomesRead(), result.candidate().model().labels(), router.embedder().id(), result.dir(),
                            quality.predictor(), quality.versionDir());
            LOG.infof("retrain %s: quality predictor %s (%s)", result.version(),
                    report.status().name().toLowerCase(java.util.Locale.ROOT), report.reason());
            return report;
        } catch (RuntimeException e) {
            LOG.errorf(e, "retrain %s: the quality step failed", result.version());
            return new QualityRelease.Report(QualityRelease.Status.FAILED, "quality step failed: " + e.getMessage(), 0, 0,
                    Optional.empty(), Optional.empty());
        } finally {
            LOG.debugf("quality log:%n%s", log.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * The retrain's answer-verifier step, from the same outcomes: each expert's verifier is refitted
     * and gated, or the serving one carried. A failure here never fails the router's retrain.
     */
    private void trainVerifiers(Retrainer.Result result) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try {
            VerifierRelease.Report report = new VerifierRelease(verifierSettings, this::trust,
                    new PrintStream(log, true, StandardCharsets.UTF_8))
                    .run(result.outcomesRead(), result.dir(), verifiers.entries());
            LOG.infof("retrain %s: answer verifiers for %s", result.version(), report.serving());
        } catch (RuntimeException e) {
            LOG.errorf(e, "retrain %s: the answer-verifier step failed", result.version());
        } finally {
            LOG.debugf("verifier log:%n%s", log.toString(StandardCharsets.UTF_8));
        }
    }

    /** A tenant's trust in the config in force (hot reload included), empty when it is not configured. */
    private OptionalDouble trust(String tenant) {
        return config.current().trust(tenant);
    }

    /**
     * Serves {@code version} and its quality predictor (none when it has none). The predictor is
     * read first, so a broken one refuses the promotion before anything changes.
     *
     * @return the version that served before
     */
    public String promote(String version) {
        Path dir = router.root().resolve(version);
        Optional<QualityPredictor> predictor = Files.isDirectory(dir) ? QualityModelLoader.loadIfPresent(dir) : Optional.empty();
        Map<String, AnswerVerifierFiles.Entry> answerVerifiers = AnswerVerifierFiles.loadIfPresent(dir);
        String before = router.promote(version);
        quality.swap(dir, predictor);
        verifiers.serve(answerVerifiers);
        shadow.stats().filter(s -> s.version().equals(version)).ifPresent(s -> shadow.shadow(null));
        return before;
    }

    /** @return the version now serving, with its quality predictor (or none) */
    public String rollback() {
        String now = router.rollback();
        Path dir = router.root().resolve(now);
        try {
            quality.swap(dir, QualityModelLoader.loadIfPresent(dir));
        } catch (RuntimeException e) {
            quality.swap(dir, Optional.empty());
            LOG.errorf("rolled back to %s, whose quality predictor cannot be read (%s): experts are judged by their "
                    + "per-domain priors", now, e.getMessage());
        }
        try {
            verifiers.swap(dir);
        } catch (RuntimeException e) {
            verifiers.serve(Map.of());
            LOG.errorf("rolled back to %s, whose answer verifiers cannot be read (%s): no answer is verified", now,
                    e.getMessage());
        }
        return now;
    }

    /** Each version's metrics and gates, which one serves, the history and the shadow's agreement. */
    public ObjectNode versions() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        String serving = router.version();
        root.put("serving", serving);
        root.putPOJO("history", router.history());
        ArrayNode list = VersionCatalog.list(router.root(), serving);
        shadow.stats().ifPresent(s -> list.forEach(v -> {
            if (v.path("version").asText().equals(s.version())) {
                ObjectNode n = ((ObjectNode) v).putObject("shadow");
                n.put("share", s.share());
                n.put("scored", s.scored());
                n.put("agreementRate", s.agreementRate());
                n.put("dropped", s.dropped());
                n.put("skipped", s.skipped());
                n.putPOJO("wouldBeDomains", s.wouldBeDomains());
                n.putPOJO("disagreements", s.disagreements());
            }
        }));
        list.forEach(v -> describeQuality((ObjectNode) v, router.root().resolve(v.path("version").asText())));
        list.forEach(v -> describeVerifiers((ObjectNode) v, router.root().resolve(v.path("version").asText())));
        root.set("versions", list);
        root.put("qualityServing", quality.predictor().map(QualityPredictor::version).orElse(null));
        ArrayNode verifying = root.putArray("verifiersServing");
        verifiers.entries().keySet().stream().sorted().forEach(verifying::add);
        root.put("retraining", retraining.get());
        return root;
    }

    /** A version's quality predictor (where it was trained, its gate) and the retrain's quality report. */
    private static void describeQuality(ObjectNode v, Path dir) {
        ObjectNode q = Json.MAPPER.createObjectNode();
        Path meta = dir.resolve(QualityModelFiles.DIRECTORY).resolve(QualityModelFiles.METADATA);
        try {
            if (Files.isRegularFile(meta)) {
                JsonNode m = Json.MAPPER.readTree(meta.toFile());
                q.put("present", true);
                q.put("trainedIn", m.path("version").asText());
                ArrayNode experts = q.putArray("experts");
                m.path("experts").forEach(experts::add);
                q.set("gate", m.path("evaluation"));
            } else {
                q.put("present", false);
            }
            Path report = dir.resolve(QualityRelease.REPORT);
            if (Files.isRegularFile(report)) {
                q.set("retrain", Json.MAPPER.readTree(report.toFile()));
            }
        } catch (java.io.IOException e) {
            q.put("error", "unreadable quality metadata: " + e.getMessage());
        }
        v.set("quality", q);
    }

    /** A version's answer verifiers (expert, where each was trained, its gate) and the retrain's verifier report. */
    private static void describeVerifiers(ObjectNode v, Path dir) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        try {
            ObjectNode experts = out.putObject("experts");
            AnswerVerifierFiles.loadIfPresent(dir).forEach((id, e) -> {
                ObjectNode n = experts.putObject(id);
                n.put("trainedIn", e.trainedIn());
                n.put("trainedOn", e.verifier().trainedOn());
                n.set("gate", e.gate());
            });
            Path report = dir.resolve(VerifierRelease.REPORT);
            if (Files.isRegularFile(report)) {
                out.set("retrain", Json.MAPPER.readTree(report.toFile()));
            }
        } catch (java.io.IOException | RuntimeException e) {
            out.put("error", "unreadable answer verifiers: " + e.getMessage());
        }
        v.set("verifiers", out);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        retrainThread.shutdownNow();
    }
}
