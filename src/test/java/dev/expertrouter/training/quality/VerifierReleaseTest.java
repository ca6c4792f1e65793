package dev.expertrouter.training.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.quality.AnswerChecks;
import dev.expertrouter.routing.quality.AnswerVerifier;
import dev.expertrouter.routing.quality.AnswerVerifierFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retrain's answer-verifier step: it learns a planted rule from rated answers and serves it
 * only when its held-out AUC says so; shuffled ratings are refused; with too few answers the
 * serving verifier is carried; answers of untrusted tenants, streams and outcomes without checks
 * teach nothing.
 */
class VerifierReleaseTest {

    static final int FINAL_DISAGREES = AnswerChecks.FEATURES.indexOf("final_disagrees");
    static final int CALCULATOR_ERROR = AnswerChecks.FEATURES.indexOf("calculator_error");
    static final VerifierRelease.Settings SETTINGS = new VerifierRelease.Settings(300, 0.65, 0.02,
            QualityDataset.Labelling.DEFAULTS, 0.2, 100_000);

    @TempDir
    Path models;

    /** P(good) = sigmoid(2 - 4 final_disagrees - 3 calculator_error), the other checks noise. */
    static List<RatedOutcome> planted(int n, String expert, String tenant, long seed, boolean shuffled) {
        Random r = new Random(seed);
        List<double[]> checks = new ArrayList<>();
        List<Boolean> good = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[AnswerChecks.FEATURES.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = r.nextDouble() < 0.3 ? 1 : r.nextDouble() * 0.5;
            }
            x[FINAL_DISAGREES] = r.nextDouble() < 0.3 ? 1 : 0;
            x[CALCULATOR_ERROR] = r.nextDouble() < 0.3 ? 1 : 0;
            double z = 2 - 4 * x[FINAL_DISAGREES] - 3 * x[CALCULATOR_ERROR];
            checks.add(x);
            good.add(r.nextDouble() < 1 / (1 + Math.exp(-z)));
        }
        if (shuffled) {
            Collections.shuffle(good, new Random(seed + 1));
        }
        List<RatedOutcome> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rated(i, expert, tenant, checks.get(i), good.get(i) ? 1.0 : 0.0, false));
        }
        return out;
    }

    static RatedOutcome rated(int i, String expert, String tenant, double[] checks, double score, boolean stream) {
        Instant time = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i);
        String id = tenant + "-" + expert + "-" + i;
        OutcomeRecord o = new OutcomeRecord(id, time, tenant, "p", "v1", "math", 0.9, Map.of("math", 0.9), false, expert,
                List.of(expert), List.of(), 200, null, 200, stream, 100, 40, 100, 0.001, 0, "sha", null, null, 90, null,
                false, null, false, checks);
        return new RatedOutcome(o, Optional.of(new Feedback(id, tenant, expert, "math", Optional.empty(), score,
                Feedback.Source.USER, time)));
    }

    VerifierRelease.Report run(List<RatedOutcome> rated, String version, Map<String, AnswerVerifierFiles.Entry> serving)
            throws IOException {
        Path dir = Files.createDirectories(models.resolve(version));
        return new VerifierRelease(SETTINGS, t -> t.equals("eve") ? OptionalDouble.of(0) : OptionalDouble.of(1),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(Optional.of(rated), dir,
                serving);
    }

    @Test
    void aPlantedRuleIsLearnedGatedWrittenAndReadBack() throws IOException {
        VerifierRelease.Report report = run(planted(1500, "mid", "alice", 7, false), "v5", Map.of());

        VerifierRelease.ExpertReport mid = report.experts().get(0);
        assertThat(mid.status()).isEqualTo(VerifierRelease.Status.TRAINED);
        assertThat(mid.auc()).isGreaterThan(0.75);
        assertThat(mid.heldOut()).isEqualTo(300);
        assertThat(report.serving()).containsExactly("mid");
        assertThat(models.resolve("v5").resolve(VerifierRelease.REPORT)).exists();

        AnswerVerifier v = AnswerVerifierFiles.loadIfPresent(models.resolve("v5")).get("mid").verifier();
        double[] clean = new double[AnswerChecks.FEATURES.size()];
        double[] disagrees = clean.clone();
        disagrees[FINAL_DISAGREES] = 1;
        assertThat(v.probability(clean)).isGreaterThan(0.7);
        assertThat(v.probability(disagrees)).isLessThan(v.probability(clean) - 0.3);
        assertThat(v.weights()[FINAL_DISAGREES]).isLessThan(-2);
        assertThat(v.weights()[CALCULATOR_ERROR]).isLessThan(-1.5);
        // what each threshold would do on the held-out answers: more escalated as it rises, and the
        // answers kept better than the draft's base rate, the escalated ones worse
        com.fasterxml.jackson.databind.JsonNode rows = AnswerVerifierFiles.loadIfPresent(models.resolve("v5")).get("mid")
                .gate().path("thresholds");
        assertThat(rows).hasSize(9);
        assertThat(mid.thresholds()).isEqualTo(rows);
        double base = 0;
        for (RatedOutcome r : planted(1500, "mid", "alice", 7, false).subList(1200, 1500)) {
            base += r.feedback().get().score() / 300;
        }
        double previous = -1;
        for (com.fasterxml.jackson.databind.JsonNode row : rows) {
            assertThat(row.path("escalated").asDouble()).isGreaterThanOrEqualTo(previous);
            previous = row.path("escalated").asDouble();
        }
        com.fasterxml.jackson.databind.JsonNode half = rows.get(4);
        assertThat(half.path("threshold").asDouble()).isEqualTo(0.5);
        assertThat(half.path("goodAmongKept").asDouble()).isGreaterThan(base + 0.1);
        assertThat(half.path("goodAmongEscalated").asDouble()).isLessThan(base - 0.1);
    }

    @Test
    void shuffledRatingsAreRefusedAndNothingIsWritten() throws IOException {
        VerifierRelease.Report report = run(planted(1500, "mid", "alice", 7, true), "v5", Map.of());

        assertThat(report.experts().get(0).status()).isEqualTo(VerifierRelease.Status.REFUSED);
        assertThat(report.experts().get(0).reason()).contains("AUC");
        assertThat(report.serving()).isEmpty();
        assertThat(models.resolve("v5").resolve(AnswerVerifierFiles.DIRECTORY)).doesNotExist();
        assertThat(AnswerVerifierFiles.loadIfPresent(models.resolve("v5"))).isEmpty();
    }

    @Test
    void aVerifierWorseThanTheServingOneIsRefusedAndTheServingOneCarried() throws IOException {
        run(planted(1500, "mid", "alice", 7, false), "v5", Map.of());
        Map<String, AnswerVerifierFiles.Entry> serving = AnswerVerifierFiles.loadIfPresent(models.resolve("v5"));

        // trained on ratings gone random, judged on ratings that still follow the rule the serving one learned
        List<RatedOutcome> drifted = new ArrayList<>(planted(1500, "mid", "alice", 8, true).subList(0, 1200));
        drifted.addAll(planted(1500, "mid", "alice", 9, false).subList(1200, 1500));
        VerifierRelease.Report report = run(drifted, "v6", serving);

        VerifierRelease.ExpertReport mid = report.experts().get(0);
        assertThat(mid.status()).isEqualTo(VerifierRelease.Status.REFUSED);
        assertThat(mid.servingAuc()).isGreaterThan(mid.auc() + 0.1);
        assertThat(mid.reason()).contains("below the serving verifier's");
        assertThat(mid.carried()).isTrue();
        AnswerVerifierFiles.Entry carried = AnswerVerifierFiles.loadIfPresent(models.resolve("v6")).get("mid");
        assertThat(carried.trainedIn()).isEqualTo("v5");
        assertThat(carried.verifier().weights()).containsExactly(serving.get("mid").verifier().weights());
    }

    @Test
    void tooFewAnswersKeepTheServingVerifier() throws IOException {
        AnswerVerifier old = new AnswerVerifier("mid", AnswerChecks.FEATURES, new double[AnswerChecks.FEATURES.size()], 0.3, 10);
        Map<String, AnswerVerifierFiles.Entry> serving = Map.of("mid",
                new AnswerVerifierFiles.Entry(old, "v4", MissingNode.getInstance()));

        VerifierRelease.Report report = run(planted(100, "mid", "alice", 7, false), "v5", serving);

        assertThat(report.experts().get(0).status()).isEqualTo(VerifierRelease.Status.SKIPPED);
        assertThat(report.experts().get(0).carried()).isTrue();
        assertThat(AnswerVerifierFiles.loadIfPresent(models.resolve("v5")).get("mid").trainedIn()).isEqualTo("v4");
    }

    @Test
    void untrustedTenantsStreamsAndOutcomesWithoutChecksTeachNothing() throws IOException {
        List<RatedOutcome> rated = new ArrayList<>(planted(1500, "mid", "eve", 7, false));
        List<RatedOutcome> alice = planted(1500, "mid", "alice", 9, false);
        for (int i = 0; i < alice.size(); i++) {
            OutcomeRecord o = alice.get(i).outcome();
            // every other one streamed, the rest without checks
            rated.add(i % 2 == 0 ? rated(10_000 + i, "mid", "alice", o.answerChecks(), 1.0, true)
                    : new RatedOutcome(new OutcomeRecord(o.requestId(), o.time(), o.tenant(), o.policy(), o.routerVersion(),
                            o.domain(), o.confidence(), o.scores(), o.forced(), o.expert(), o.candidates(), o.fallbacks(),
                            o.status(), o.errorCode(), o.upstreamStatus(), o.stream(), o.latencyMs(), o.promptTokens(),
                            o.completionTokens(), o.costUsd(), o.savedUsd(), o.promptSha256(), o.embedding(), o.embedderId(),
                            o.upstreamLatencyMs(), o.promptText(), o.exploration(), o.affinity(), o.costEstimated()),
                            alice.get(i).feedback()));
        }

        VerifierRelease.Report report = run(rated, "v5", Map.of());

        assertThat(report.experts()).as("no expert has a usable rated answer, none serves").isEmpty();
        assertThat(report.bounds().orElseThrow().untrusted()).isEqualTo(1500);
        assertThat(models.resolve("v5").resolve(AnswerVerifierFiles.DIRECTORY)).doesNotExist();
    }

    @Test
    void theChanceBoundUsesHanleyAndMcNeilsStandardError() {
        // A = 0.75 from 40 good and 35 bad answers: Q1 = 0.6, Q2 = 0.642857; SE = 0.055947
        assertThat(VerifierRelease.aucStandardError(0.75, 40, 35)).isCloseTo(0.055947, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(VerifierRelease.aucStandardError(0.75, 400, 350)).isLessThan(0.02);
        assertThat(VerifierRelease.aucStandardError(1.0, 40, 35)).isZero();
        // a noise verifier's lucky 0.651 on 106 good and 17 bad answers is not surely above chance
        assertThat(0.651 - 1.96 * VerifierRelease.aucStandardError(0.651, 106, 17)).isLessThan(0.55);
    }
}
