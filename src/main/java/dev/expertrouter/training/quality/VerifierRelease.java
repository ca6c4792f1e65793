package dev.expertrouter.training.quality;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.quality.AnswerVerifier;
import dev.expertrouter.routing.quality.AnswerVerifierFiles;
import dev.expertrouter.training.FeedbackBounds;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The retrain's answer-verifier step, for one new router version: per expert, an
 * {@link AnswerVerifier} is fitted to its rated whole answers (outcomes carrying
 * {@code answer_checks}, joined with feedback, bounded per tenant like the quality predictor's),
 * on the older share, and gated on the newest: its AUC must reach a floor, be above chance with 95%
 * confidence, and not fall below the serving verifier's on the same answers by more than a tolerance. A verifier that passes is
 * written into {@code <version>/verifiers/}; an expert skipped (too few rated answers) or refused
 * keeps its serving verifier, carried into the new version. What happened per expert is kept in
 * {@code <version>/verifier-report.json}. Framework-free.
 */
public final class VerifierRelease {

    public static final String REPORT = "verifier-report.json";
    /** The ridge penalty of every verifier fit: small, the seventeen features are all in 0..1. */
    static final double L2 = 1e-3;

    /**
     * @param minRatedAnswers an expert with fewer usable rated answers gets no new verifier
     * @param minAuc          the held-out AUC a verifier must reach to serve, in (0.5, 1)
     * @param maxAucDrop      how far below the serving verifier's held-out AUC a new one may be
     */
    public record Settings(int minRatedAnswers, double minAuc, double maxAucDrop, QualityDataset.Labelling labelling,
            double heldOutShare, int maxRatedPerTenant) {

        public static final int DEFAULT_MIN_RATED_ANSWERS = 300;
        public static final double DEFAULT_MIN_AUC = 0.65;
        public static final double DEFAULT_MAX_AUC_DROP = 0.02;
        /** Fewer good or bad answers held out than this: AUC says too little to gate on. */
        static final int MIN_HELD_OUT_PER_CLASS = 30;

        public Settings {
            if (minRatedAnswers < 20) {
                throw new IllegalArgumentException("verifier-min-rated must be >= 20, got " + minRatedAnswers);
            }
            if (!(minAuc > 0.5 && minAuc < 1)) {
                throw new IllegalArgumentException("verifier-min-auc must be in (0.5, 1), got " + minAuc);
            }
            if (!(maxAucDrop >= 0 && maxAucDrop < 0.5)) {
                throw new IllegalArgumentException("the verifier's max AUC drop must be in [0, 0.5), got " + maxAucDrop);
            }
            if (!(heldOutShare > 0 && heldOutShare < 1)) {
                throw new IllegalArgumentException("held-out-share must be in (0, 1), got " + heldOutShare);
            }
            if (maxRatedPerTenant < 1) {
                throw new IllegalArgumentException("max-rated-per-tenant must be >= 1, got " + maxRatedPerTenant);
            }
        }
    }

    /** What happened to one expert's verifier. */
    public enum Status {
        TRAINED, REFUSED, SKIPPED
    }

    /**
     * @param auc        the new verifier's held-out AUC (NaN when none was fitted)
     * @param servingAuc the serving verifier's on the same answers (NaN without one)
     * @param carried    whether the serving verifier went into the new version instead
     */
    public record ExpertReport(String expert, Status status, String reason, int answers, int heldOut, double auc,
            double servingAuc, boolean carried, ArrayNode thresholds) {

        ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("expert", expert);
            n.put("status", status.name().toLowerCase(Locale.ROOT));
            n.put("reason", reason);
            n.put("answers", answers);
            n.put("heldOut", heldOut);
            putFinite(n, "auc", auc);
            putFinite(n, "servingAuc", servingAuc);
            n.put("carried", carried);
            if (thresholds != null) {
                n.set("thresholds", thresholds);
            }
            return n;
        }
    }

    /** @param experts one report per expert with rated answers or a serving verifier, by expert id */
    public record Report(List<ExpertReport> experts, Optional<FeedbackBounds.Selection<RatedOutcome>> bounds) {

        /** Experts the new version holds a verifier for (trained or carried). */
        public List<String> serving() {
            return experts.stream().filter(e -> e.status() == Status.TRAINED || e.carried()).map(ExpertReport::expert)
                    .toList();
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            ArrayNode list = n.putArray("experts");
            experts.forEach(e -> list.add(e.toJson()));
            bounds.ifPresent(b -> n.set("bounds", b.toJson()));
            return n;
        }
    }

    private final Settings settings;
    private final FeedbackBounds bounds;
    private final PrintStream log;

    /** @param trustOfTenant a tenant's trust (0..1), empty for a tenant not configured */
    public VerifierRelease(Settings settings, Function<String, OptionalDouble> trustOfTenant, PrintStream log) {
        this.settings = settings;
        this.bounds = new FeedbackBounds(trustOfTenant, settings.maxRatedPerTenant());
        this.log = log;
    }

    /**
     * @param rated      rated (and unrated) outcomes oldest first; empty when there is no outcome log
     * @param versionDir the new version's directory (written, not yet serving)
     * @param serving    the verifiers in service, by expert
     */
    public Report run(Optional<List<RatedOutcome>> rated, Path versionDir, Map<String, AnswerVerifierFiles.Entry> serving) {
        String version = versionDir.getFileName().toString();
        Map<String, List<Answer>> byExpert = new TreeMap<>();
        Optional<FeedbackBounds.Selection<RatedOutcome>> selection = Optional.empty();
        if (rated.isPresent()) {
            List<RatedOutcome> usable = rated.get().stream().filter(this::usable).toList();
            FeedbackBounds.Selection<RatedOutcome> kept = bounds.select(usable, r -> r.outcome().tenant());
            selection = Optional.of(kept);
            for (FeedbackBounds.Kept<RatedOutcome> k : kept.kept()) {
                OutcomeRecord o = k.item().outcome();
                Feedback f = k.item().feedback().get();
                byExpert.computeIfAbsent(o.expert(), e -> new ArrayList<>()).add(new Answer(o.answerChecks(),
                        f.score() >= settings.labelling().goodThreshold(),
                        settings.labelling().weight(f.source()) * k.trust()));
            }
        }
        serving.keySet().forEach(e -> byExpert.putIfAbsent(e, List.of()));
        List<ExpertReport> reports = new ArrayList<>();
        Map<String, AnswerVerifierFiles.Entry> written = new LinkedHashMap<>();
        for (Map.Entry<String, List<Answer>> e : byExpert.entrySet()) {
            Optional<AnswerVerifierFiles.Entry> current = Optional.ofNullable(serving.get(e.getKey()));
            Fitted fitted = fit(e.getKey(), e.getValue(), current.map(AnswerVerifierFiles.Entry::verifier), version);
            boolean carried = fitted.entry().isEmpty() && current.isPresent();
            fitted.entry().or(() -> current).ifPresent(entry -> written.put(e.getKey(), entry));
            ExpertReport r = new ExpertReport(e.getKey(), fitted.status(), fitted.reason(), e.getValue().size(),
                    fitted.heldOut(), fitted.auc(), fitted.servingAuc(), carried, fitted.thresholds());
            reports.add(r);
            log.printf(Locale.ROOT, "answer verifier of %s for %s: %s (%s)%s%n", version, r.expert(),
                    r.status().name().toLowerCase(Locale.ROOT), r.reason(), carried ? "; serving verifier carried" : "");
        }
        AnswerVerifierFiles.write(versionDir, version, List.copyOf(written.values()));
        Report report = new Report(List.copyOf(reports), selection);
        writeReport(versionDir, report);
        return report;
    }

    /** A rated whole answer with its checks; a jury rating only when the jury counts. */
    private boolean usable(RatedOutcome r) {
        OutcomeRecord o = r.outcome();
        return r.feedback().isPresent() && o.answerChecks() != null && o.succeeded() && !o.stream() && o.expert() != null
                && !(r.feedback().get().source() == Feedback.Source.JURY && settings.labelling().juryWeight() == 0);
    }

    private record Answer(double[] checks, boolean good, double weight) {
    }

    private record Fitted(Status status, String reason, Optional<AnswerVerifierFiles.Entry> entry, int heldOut,
            double auc, double servingAuc, ArrayNode thresholds) {
    }

    private Fitted fit(String expert, List<Answer> answers, Optional<AnswerVerifier> current, String version) {
        if (answers.size() < settings.minRatedAnswers()) {
            return new Fitted(Status.SKIPPED, String.format(Locale.ROOT,
                    "%d rated whole answers, fewer than router.retrain.quality.verifier-min-rated (%d)", answers.size(),
                    settings.minRatedAnswers()), Optional.empty(), 0, Double.NaN, Double.NaN, null);
        }
        int cut = (int) Math.round(answers.size() * (1 - settings.heldOutShare()));
        List<Answer> train = answers.subList(0, cut);
        List<Answer> heldOut = answers.subList(cut, answers.size());
        long good = heldOut.stream().filter(Answer::good).count();
        long bad = heldOut.size() - good;
        if (good < Settings.MIN_HELD_OUT_PER_CLASS || bad < Settings.MIN_HELD_OUT_PER_CLASS
                || train.stream().allMatch(Answer::good) || train.stream().noneMatch(Answer::good)) {
            return new Fitted(Status.SKIPPED, String.format(Locale.ROOT,
                    "%d good and %d bad answers held out (and the rest all alike, or fewer than %d of a kind): too few"
                            + " of one kind to judge a verifier by", good, bad, Settings.MIN_HELD_OUT_PER_CLASS),
                    Optional.empty(), heldOut.size(), Double.NaN, Double.NaN, null);
        }
        AnswerVerifier candidate = new AnswerVerifierTrainer(L2).fit(expert, train.stream().map(Answer::checks)
                .toArray(double[][]::new), labels(train), weights(train));
        double[] judged = probabilities(candidate, heldOut);
        double auc = QualityMetrics.auc(judged, labels(heldOut), weights(heldOut));
        double servingAuc = current.map(v -> QualityMetrics.auc(probabilities(v, heldOut), labels(heldOut),
                weights(heldOut))).orElse(Double.NaN);
        ArrayNode thresholds = thresholds(judged, heldOut);
        List<String> failures = new ArrayList<>();
        if (!(auc >= settings.minAuc())) {
            failures.add(String.format(Locale.ROOT, "held-out AUC %.4f below %.2f", auc, settings.minAuc()));
        }
        double lower = auc - 1.96 * aucStandardError(auc, good, bad);
        if (!(lower > 0.5)) {
            // a few hundred held-out answers leave AUC a wide margin of chance: noise must not pass on luck
            failures.add(String.format(Locale.ROOT, "held-out AUC %.4f not surely above chance (95%% lower bound %.4f, "
                    + "%d good and %d bad answers)", auc, lower, good, bad));
        }
        if (current.isPresent() && auc < servingAuc - settings.maxAucDrop()) {
            failures.add(String.format(Locale.ROOT, "held-out AUC %.4f below the serving verifier's %.4f by more than %.2f",
                    auc, servingAuc, settings.maxAucDrop()));
        }
        if (!failures.isEmpty()) {
            return new Fitted(Status.REFUSED, "gate refused: " + String.join("; ", failures), Optional.empty(),
                    heldOut.size(), auc, servingAuc, thresholds);
        }
        ObjectNode gate = Json.MAPPER.createObjectNode();
        gate.put("heldOut", heldOut.size());
        gate.put("auc", auc);
        putFinite(gate, "servingAuc", servingAuc);
        gate.put("minAuc", settings.minAuc());
        gate.set("thresholds", thresholds);
        return new Fitted(Status.TRAINED, String.format(Locale.ROOT, "gate passed: held-out AUC %.4f%s", auc,
                current.isPresent() ? String.format(Locale.ROOT, " (serving %.4f)", servingAuc) : ""),
                Optional.of(new AnswerVerifierFiles.Entry(candidate, version, gate)), heldOut.size(), auc, servingAuc,
                thresholds);
    }

    /** Hanley and McNeil's (1982) standard error of an AUC from {@code good} and {@code bad} answers. */
    static double aucStandardError(double auc, long good, long bad) {
        double q1 = auc / (2 - auc);
        double q2 = 2 * auc * auc / (1 + auc);
        double variance = (auc * (1 - auc) + (good - 1) * (q1 - auc * auc) + (bad - 1) * (q2 - auc * auc)) / (good * bad);
        return Math.sqrt(Math.max(0, variance));
    }

    /** The policy thresholds an operator chooses among, 0.1 to 0.9. */
    static final double[] THRESHOLDS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    /**
     * What each threshold would do on the held-out answers, for the operator choosing one: the
     * share escalated, and the share of good answers among those kept and those escalated (the
     * draft's base rate is the threshold-0 row's kept share). Weighted like the gate.
     */
    static ArrayNode thresholds(double[] p, List<Answer> heldOut) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (double t : THRESHOLDS) {
            double all = 0;
            double escalated = 0;
            double goodKept = 0;
            double goodEscalated = 0;
            for (int i = 0; i < p.length; i++) {
                Answer a = heldOut.get(i);
                all += a.weight();
                if (p[i] < t) {
                    escalated += a.weight();
                    goodEscalated += a.good() ? a.weight() : 0;
                } else {
                    goodKept += a.good() ? a.weight() : 0;
                }
            }
            ObjectNode row = rows.addObject();
            row.put("threshold", t);
            row.put("escalated", escalated / all);
            putFinite(row, "goodAmongKept", goodKept / (all - escalated));
            putFinite(row, "goodAmongEscalated", goodEscalated / escalated);
        }
        return rows;
    }

    private static double[] probabilities(AnswerVerifier v, List<Answer> answers) {
        return answers.stream().mapToDouble(a -> v.probability(a.checks())).toArray();
    }

    private static boolean[] labels(List<Answer> answers) {
        boolean[] y = new boolean[answers.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = answers.get(i).good();
        }
        return y;
    }

    private static double[] weights(List<Answer> answers) {
        return answers.stream().mapToDouble(Answer::weight).toArray();
    }

    private static void putFinite(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        }
    }

    private static void writeReport(Path versionDir, Report report) {
        QualityRelease.writeJson(versionDir.resolve(REPORT), report.toJson());
    }
}
