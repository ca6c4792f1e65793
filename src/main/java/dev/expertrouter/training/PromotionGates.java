package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.RouterModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a candidate may replace the serving router, judged on the candidate's regression set
 * (test split, own examples held out, corrections held out), which neither model trained on:
 * <ol>
 * <li>{@code heldOutMacroRecall}: the candidate's macro recall is not below the serving router's
 * minus {@code recallEpsilon};</li>
 * <li>{@code negativeFlipRate}: the share of rows the serving router gets right and the candidate
 * gets wrong (negative flips, as in MUSCLE: a better average can still break what callers relied
 * on) is at most {@code maxNegativeFlipRate};</li>
 * <li>{@code ece}: the candidate's expected calibration error is at most {@code maxEce}, since the
 * policies act on its confidence.</li>
 * </ol>
 * With no serving router the first two compare against nothing (threshold 0) and pass.
 */
public final class PromotionGates {

    public static final String MACRO_RECALL = "heldOutMacroRecall";
    public static final String NEGATIVE_FLIPS = "negativeFlipRate";
    public static final String ECE = "ece";

    /** The thresholds ({@code router.gates.*}). */
    public record Settings(double recallEpsilon, double maxNegativeFlipRate, double maxEce) {

        public Settings {
            if (!(recallEpsilon >= 0 && recallEpsilon < 1) || !(maxNegativeFlipRate >= 0 && maxNegativeFlipRate <= 1)
                    || !(maxEce > 0 && maxEce <= 1)) {
                throw new IllegalArgumentException("gates: recall-epsilon must be in [0, 1), max-negative-flip-rate in "
                        + "[0, 1] and max-ece in (0, 1]; were " + recallEpsilon + ", " + maxNegativeFlipRate + ", " + maxEce);
            }
        }
    }

    /** One gate's measured value, its threshold, and whether it passed. */
    public record Gate(double value, double threshold, boolean passed) {
    }

    /** Every gate by name (in the order above) and what the serving router scored on the same rows. */
    public record Verdict(Map<String, Gate> gates, String servingVersion, double servingMacroRecall, int rows) {

        public boolean passed() {
            return gates.values().stream().allMatch(Gate::passed);
        }

        public List<String> failed() {
            List<String> failed = new ArrayList<>();
            gates.forEach((name, gate) -> {
                if (!gate.passed()) {
                    failed.add(name);
                }
            });
            return failed;
        }
    }

    /** The gateway's default thresholds ({@code router.gates.*}). */
    public static final Settings DEFAULTS = new Settings(0.01, 0.03, 0.08);

    private final Settings settings;

    public PromotionGates(Settings settings) {
        this.settings = settings;
    }

    /** @param serving the serving router's model, or {@code null} when none serves */
    public Verdict judge(RouterModel candidate, RouterModel serving, List<TrainedCandidate.HeldOutExample> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the regression set is empty: nothing to judge the candidate on");
        }
        boolean comparable = serving != null && serving.embedderId().equals(candidate.embedderId())
                && serving.inputSize() == candidate.inputSize();
        List<String> labels = candidate.labels();
        int[] truth = new int[rows.size()];
        double[][] p = new double[rows.size()][];
        String[] servingSays = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            TrainedCandidate.HeldOutExample row = rows.get(i);
            truth[i] = labels.indexOf(row.domain());
            p[i] = candidate.probabilities(row.embedding());
            if (comparable) {
                double[] q = serving.probabilities(row.embedding());
                servingSays[i] = serving.labels().get(argmax(q));
            }
        }
        ClassificationReport report = ClassificationReport.of(labels, truth, p);
        double servingRecall = comparable ? macroRecall(rows, servingSays) : 0;
        int flips = 0;
        for (int i = 0; i < rows.size(); i++) {
            boolean servingRight = comparable && rows.get(i).domain().equals(servingSays[i]);
            boolean candidateRight = argmax(p[i]) == truth[i];
            if (servingRight && !candidateRight) {
                flips++;
            }
        }
        double flipRate = (double) flips / rows.size();
        double recallFloor = comparable ? Math.max(0, servingRecall - settings.recallEpsilon()) : 0;
        Map<String, Gate> gates = new LinkedHashMap<>();
        gates.put(MACRO_RECALL, new Gate(report.macroRecall(), recallFloor, report.macroRecall() >= recallFloor));
        gates.put(NEGATIVE_FLIPS, new Gate(flipRate, settings.maxNegativeFlipRate(), flipRate <= settings.maxNegativeFlipRate()));
        gates.put(ECE, new Gate(report.ece(), settings.maxEce(), report.ece() <= settings.maxEce()));
        return new Verdict(gates, comparable ? serving.version() : null, servingRecall, rows.size());
    }

    /** The verdict as a version's metadata records it, under {@code gates}. */
    public static void record(com.fasterxml.jackson.databind.node.ObjectNode metadata, Verdict verdict) {
        com.fasterxml.jackson.databind.node.ObjectNode node = metadata.putObject("gates");
        node.put("passed", verdict.passed());
        node.put("judgedAgainst", verdict.servingVersion());
        node.put("servingMacroRecall", verdict.servingMacroRecall());
        node.put("rows", verdict.rows());
        com.fasterxml.jackson.databind.node.ObjectNode each = node.putObject("results");
        verdict.gates().forEach((name, gate) -> {
            com.fasterxml.jackson.databind.node.ObjectNode g = each.putObject(name);
            g.put("value", gate.value());
            g.put("threshold", gate.threshold());
            g.put("passed", gate.passed());
        });
    }

    /** Mean per-domain recall over the domains present in the rows (as ClassificationReport counts it). */
    private static double macroRecall(List<TrainedCandidate.HeldOutExample> rows, String[] predicted) {
        Map<String, int[]> perDomain = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            int[] hitsAndSupport = perDomain.computeIfAbsent(rows.get(i).domain(), d -> new int[2]);
            hitsAndSupport[1]++;
            if (rows.get(i).domain().equals(predicted[i])) {
                hitsAndSupport[0]++;
            }
        }
        return perDomain.values().stream().mapToDouble(h -> (double) h[0] / h[1]).average().orElse(0);
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int d = 1; d < p.length; d++) {
            if (p[d] > p[best]) {
                best = d;
            }
        }
        return best;
    }
}
