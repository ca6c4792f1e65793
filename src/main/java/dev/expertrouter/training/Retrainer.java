package dev.expertrouter.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.GatewayClock;
import dev.expertrouter.outcomes.OutcomeHistory;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.embedding.PromptEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Retraining from outcomes: the base data plus every recent outcome whose feedback corrected the
 * router's domain (label: the corrected domain; features: the embedding the outcome recorded, so
 * only outcomes embedded by the serving embedder count), trained by the {@link TrainingPipeline}
 * into the next free version {@code v<N+1>}, judged by the {@link PromotionGates} against the
 * serving router, and written (with the verdict in its metadata) atomically. Promotion is the
 * caller's: it swaps the live router.
 *
 * <p>Each tenant's corrections are bounded as its ratings are in the shared estimates
 * ({@link FeedbackBounds}): none from a tenant of trust 0 or no longer configured, at most
 * {@code maxCorrectionsPerTenant} (the newest) from any other, each weighing its tenant's trust
 * times {@code correctionCopies}.
 *
 * <p>Confident, well-rated outcomes without a correction are not used as weak labels: they only
 * repeat what the serving router already said, and without a measurement showing they help, they
 * would mostly teach the candidate the serving router's mistakes.
 */
public final class Retrainer {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Pattern NUMBERED = Pattern.compile("v(\\d+)");

    /**
     * @param correctionCopies how many times a corrected outcome counts in training (its weight at full trust)
     * @param maxCorrectionsPerTenant the most corrections one tenant's requests contribute (the newest)
     * @param window           how far back outcomes are read
     * @param maxOutcomes      at most this many outcomes are read
     * @param members          ensemble members (and refit folds' members)
     * @param refitFolds       0: ship the early-stopped members; K >= 2: refit K members (slower, better calibrated)
     */
    public record Settings(Optional<Path> mmluDir, Path examplesDir, Path modelsRoot, Optional<Path> embeddingCacheDir,
            int correctionCopies, Duration window, int maxOutcomes, int members, int refitFolds, int maxEpochs,
            PromotionGates.Settings gates, int maxCorrectionsPerTenant) {

        /** The default of {@code router.retrain.max-corrections-per-tenant}. */
        public static final int DEFAULT_MAX_CORRECTIONS_PER_TENANT = 200;

        public Settings {
            if (maxCorrectionsPerTenant < 1) {
                throw new IllegalArgumentException("retrain: max-corrections-per-tenant must be >= 1, got "
                        + maxCorrectionsPerTenant);
            }
            if (correctionCopies < 1 || maxOutcomes < 0 || members < 1 || maxEpochs < 1 || refitFolds < 0 || refitFolds == 1
                    || window.isNegative()) {
                throw new IllegalArgumentException("retrain: correction-weight, members and epochs must be >= 1, "
                        + "max-outcomes and window >= 0, refit-folds 0 or >= 2");
            }
        }
    }

    /**
     * A retrain's candidate, where it was written, and the gates' verdict.
     *
     * @param seconds    wall time
     * @param corrections the corrections learnt from (after the per-tenant bounds)
     * @param cpuSeconds CPU time of the retraining thread: what the retrain costs on a core of its
     *                   own, whatever else the machine is doing
     * @param bounds     which corrections the per-tenant bounds kept, capped or ignored
     * @param outcomesRead the window of outcomes read from the outcome log (empty when there is none),
     *                     handed to the quality step so both learn from one read of the same outcomes
     */
    public record Result(String version, Path dir, PromotionGates.Verdict verdict, int corrections, double seconds,
            double cpuSeconds, TrainedCandidate candidate, FeedbackBounds.Selection<CorrectedExample> bounds,
            Optional<List<RatedOutcome>> outcomesRead) {
    }

    private final Settings settings;
    private final PromptEmbedder embedder;
    private final PromptTextSelector selector;
    private final Optional<OutcomeHistory> history;
    private final GatewayClock clock;
    private final PrintStream log;
    private final FeedbackBounds bounds;

    /**
     * @param trustOfTenant a tenant's trust (tenants.yaml {@code trust}, 0..1), empty for a tenant not
     *                      configured
     */
    public Retrainer(Settings settings, PromptEmbedder embedder, PromptTextSelector selector,
            Optional<OutcomeHistory> history, Function<String, OptionalDouble> trustOfTenant, GatewayClock clock,
            PrintStream log) {
        this.bounds = new FeedbackBounds(trustOfTenant, settings.maxCorrectionsPerTenant());
        this.settings = settings;
        this.embedder = embedder;
        this.selector = selector;
        this.history = history;
        this.clock = clock;
        this.log = log;
    }

    /** @param serving the serving router's model to judge against, or {@code null} when none serves */
    public Result retrain(RouterModel serving) {
        long started = System.nanoTime();
        long cpuStarted = THREADS.getCurrentThreadCpuTime();
        Optional<List<RatedOutcome>> read = history.map(h -> h.read(clock.now().minus(settings.window()),
                settings.maxOutcomes()));
        List<RatedOutcome> outcomes = read.orElse(List.of());
        FeedbackBounds.Selection<CorrectedExample> bounded = corrections(outcomes, embedder.id(), bounds);
        List<CorrectedExample> corrections = bounded.items();
        String version = nextVersion(settings.modelsRoot());
        HeadTrainer.Settings d = HeadTrainer.Settings.defaults(42);
        HeadTrainer.Settings head = new HeadTrainer.Settings(settings.members(), d.hidden(), d.dropoutRetain(),
                d.learningRate(), d.l2(), settings.maxEpochs(), d.patience(), d.batchSize(), d.classWeightPower(), 42,
                d.labelSmoothing());
        TrainOptions options = new TrainOptions(settings.mmluDir(), settings.examplesDir(), settings.modelsRoot(), version,
                42, 0.2, 0.2, false, head, settings.refitFolds(), TrainOptions.Neighbours.DEFAULTS,
                settings.embeddingCacheDir());
        log.printf(Locale.ROOT, "retrain %s: %d corrected outcomes (weight %d) of %d read, judged against %s%n", version,
                corrections.size(), settings.correctionCopies(), outcomes.size(),
                serving == null ? "no serving router" : serving.version());
        if (bounded.leftAnythingOut()) {
            log.printf(Locale.ROOT, "retrain %s: corrections left out: %s%n", version, bounded.leftOut());
        }
        TrainingPipeline pipeline = new TrainingPipeline(embedder, selector, settings.embeddingCacheDir(), log);
        TrainedCandidate candidate = pipeline.train(options, corrections, settings.correctionCopies());
        PromotionGates.Verdict verdict = new PromotionGates(settings.gates()).judge(candidate.model(), serving,
                candidate.regression());
        recordVerdict(candidate.metadata(), verdict);
        recordBounds(candidate.metadata(), bounded);
        Path dir = pipeline.write(candidate, settings.modelsRoot());
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
        log.printf(Locale.ROOT, "retrain %s: gates %s%s in %.1f s (%.1f s of CPU)%n", version,
                verdict.passed() ? "passed" : "refused", verdict.passed() ? "" : " " + verdict.failed(), seconds, cpuSeconds);
        return new Result(version, dir, verdict, corrections.size(), seconds, cpuSeconds, candidate, bounded, read);
    }

    /**
     * The outcomes retraining learns from: a feedback with a corrected domain, an embedding, and
     * the serving embedder's id (an embedding from another embedder lives in another space). One
     * per request id; then bounded per tenant, each carrying its tenant's trust.
     */
    public static FeedbackBounds.Selection<CorrectedExample> corrections(List<RatedOutcome> outcomes, String embedderId,
            FeedbackBounds bounds) {
        List<Labelled> labelled = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (RatedOutcome rated : outcomes) {
            OutcomeRecord o = rated.outcome();
            Optional<String> corrected = rated.feedback().flatMap(f -> f.correctedDomain()).filter(s -> !s.isBlank());
            if (corrected.isEmpty() || o.embedding() == null || o.embedding().length == 0
                    || !embedderId.equals(o.embedderId()) || !seen.add(o.requestId())) {
                continue;
            }
            labelled.add(new Labelled(o, corrected.get()));
        }
        FeedbackBounds.Selection<Labelled> kept = bounds.select(labelled, l -> l.outcome().tenant());
        List<FeedbackBounds.Kept<CorrectedExample>> examples = kept.kept().stream()
                .map(k -> new FeedbackBounds.Kept<>(new CorrectedExample(k.item().outcome().requestId(),
                        k.item().outcome().embedding(), k.item().domain(), k.trust()), k.tenant(), k.trust()))
                .toList();
        return new FeedbackBounds.Selection<>(examples, kept.maxPerTenant(), kept.cappedByTenant(), kept.untrustedByTenant());
    }

    private record Labelled(OutcomeRecord outcome, String domain) {
    }

    /** {@code v<N+1>} for the highest {@code v<N>} directory under the root ({@code v1} in an empty one). */
    public static String nextVersion(Path root) {
        int highest = 0;
        if (Files.isDirectory(root)) {
            try (Stream<Path> list = Files.list(root)) {
                for (Path p : list.toList()) {
                    Matcher m = NUMBERED.matcher(p.getFileName().toString());
                    if (Files.isDirectory(p) && m.matches()) {
                        highest = Math.max(highest, Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root, e);
            }
        }
        return "v" + (highest + 1);
    }

    /** The per-tenant bounds beside the corrections' split, so {@code /admin/router/versions} shows them. */
    private static void recordBounds(ObjectNode metadata, FeedbackBounds.Selection<CorrectedExample> bounded) {
        if (bounded.kept().isEmpty() && !bounded.leftAnythingOut()) {
            return;
        }
        ObjectNode node = metadata.has("corrections") ? (ObjectNode) metadata.get("corrections")
                : metadata.putObject("corrections");
        node.set("bounds", bounded.toJson());
    }

    private static void recordVerdict(ObjectNode metadata, PromotionGates.Verdict verdict) {
        ObjectNode node = metadata.putObject("gates");
        node.put("passed", verdict.passed());
        node.put("judgedAgainst", verdict.servingVersion());
        node.put("servingMacroRecall", verdict.servingMacroRecall());
        node.put("rows", verdict.rows());
        ObjectNode each = node.putObject("results");
        verdict.gates().forEach((name, gate) -> {
            ObjectNode g = each.putObject(name);
            g.put("value", gate.value());
            g.put("threshold", gate.threshold());
            g.put("passed", gate.passed());
        });
    }
}
