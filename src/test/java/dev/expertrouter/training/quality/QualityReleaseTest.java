package dev.expertrouter.training.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.Json;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.quality.QualityModelFiles;
import dev.expertrouter.routing.quality.QualityModelLoader;
import dev.expertrouter.routing.quality.QualityPredictor;
import dev.expertrouter.training.quality.SyntheticOutcomes.Topic;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retrain's quality step: trains and writes a predictor that passes its gate; skips (saying
 * why) when there are too few rated outcomes or no outcome log; and in every case but a new
 * predictor, carries the serving one into the new version so promoting it changes nothing.
 */
class QualityReleaseTest {

    static final List<String> EXPERTS = List.of("cheap", "strong");

    @TempDir
    static Path root;
    static Path v1;
    static QualityRelease.Report first;

    static QualityRelease release(int minRated) {
        return release(minRated, Map.of("t", 1.0), QualityRelease.Settings.DEFAULT_MAX_RATED_PER_TENANT);
    }

    /** @param trust the configured tenants' trust (any other tenant is not configured) */
    static QualityRelease release(int minRated, Map<String, Double> trust, int maxRatedPerTenant) {
        return new QualityRelease(new QualityRelease.Settings(minRated, QualityDataset.Labelling.DEFAULTS,
                new QualityTrainer.Settings(32, 0.9, 3e-3, 1e-3, 40, 4, 64, 7), QualityGate.Thresholds.DEFAULTS, 0.25,
                maxRatedPerTenant),
                tenant -> trust.containsKey(tenant) ? OptionalDouble.of(trust.get(tenant)) : OptionalDouble.empty(),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    static Path version(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    @BeforeAll
    static void trainTheFirstPredictor() throws IOException {
        v1 = version("v1");
        first = release(300).run(Optional.of(SyntheticOutcomes.generate(1600, EXPERTS, 1, false)), SyntheticOutcomes.DOMAINS,
                SyntheticOutcomes.EMBEDDER, v1, Optional.empty(), Optional.empty());
    }

    @Test
    void enoughRatedOutcomesTrainAPredictorThatPassesItsGateAndIsWrittenIntoTheVersion() throws IOException {
        assertThat(first.status()).as(first.reason()).isEqualTo(QualityRelease.Status.TRAINED);
        assertThat(first.usable()).isEqualTo(1600);
        assertThat(first.gate().orElseThrow().passed()).isTrue();
        QualityPredictor p = QualityModelLoader.load(v1.resolve(QualityModelFiles.DIRECTORY));
        assertThat(p.version()).isEqualTo("v1");
        assertThat(p.experts()).containsExactly("cheap", "strong");
        assertThat(QualityTrainingTest.meanPrediction(p, "cheap", Topic.MEDICAL_A)
                - QualityTrainingTest.meanPrediction(p, "cheap", Topic.MEDICAL_B)).isGreaterThan(0.4);
        JsonNode report = Json.MAPPER.readTree(v1.resolve(QualityRelease.REPORT).toFile());
        assertThat(report.path("status").asText()).isEqualTo("trained");
        assertThat(report.path("gate").path("passed").asBoolean()).isTrue();
    }

    @Test
    void tooFewRatedOutcomesSkipTrainingSayWhyAndCarryTheServingPredictor() throws IOException {
        Path v2 = version("v2");
        QualityPredictor serving = QualityModelLoader.load(v1.resolve(QualityModelFiles.DIRECTORY));
        List<RatedOutcome> few = SyntheticOutcomes.generate(120, EXPERTS, 5, false);

        QualityRelease.Report r = release(300).run(Optional.of(few), SyntheticOutcomes.DOMAINS, SyntheticOutcomes.EMBEDDER,
                v2, Optional.of(serving), Optional.of(v1));

        assertThat(r.status()).isEqualTo(QualityRelease.Status.SKIPPED);
        assertThat(r.reason()).contains("120 rated outcomes").contains("router.retrain.quality.min-rated-outcomes (300)");
        assertThat(r.gate()).isEmpty();
        assertThat(r.carriedFrom()).contains("v1");
        QualityPredictor carried = QualityModelLoader.load(v2.resolve(QualityModelFiles.DIRECTORY));
        float[] x = new float[serving.head().inputSize()];
        x[1] = 1;
        assertThat(carried.probabilities(x)).containsExactly(serving.probabilities(x));
        assertThat(Json.MAPPER.readTree(v2.resolve(QualityRelease.REPORT).toFile()).path("carriedFrom").asText()).isEqualTo("v1");
    }

    @Test
    void withoutAnOutcomeLogOrAServingPredictorTheVersionHasNone() throws IOException {
        Path v3 = version("v3");
        QualityRelease.Report r = release(300).run(Optional.empty(), SyntheticOutcomes.DOMAINS, SyntheticOutcomes.EMBEDDER, v3,
                Optional.empty(), Optional.empty());
        assertThat(r.status()).isEqualTo(QualityRelease.Status.SKIPPED);
        assertThat(r.reason()).isEqualTo("no outcome log to learn from");
        assertThat(r.predictorWritten()).isFalse();
        assertThat(v3.resolve(QualityModelFiles.DIRECTORY)).doesNotExist();
    }

    @Test
    void aRefusedPredictorIsNotWrittenAndTheServingOneIsCarried() throws IOException {
        Path v4 = version("v4");
        QualityPredictor serving = QualityModelLoader.load(v1.resolve(QualityModelFiles.DIRECTORY));
        // learnt from shuffled feedback, judged on the newest (real) feedback, as the next day's traffic would be
        List<RatedOutcome> shuffled = new java.util.ArrayList<>(SyntheticOutcomes.generate(600, EXPERTS, 2, true));
        shuffled.addAll(SyntheticOutcomes.generate(200, EXPERTS, 3, false));

        QualityRelease.Report r = release(300).run(Optional.of(shuffled), SyntheticOutcomes.DOMAINS,
                SyntheticOutcomes.EMBEDDER, v4, Optional.of(serving), Optional.of(v1));

        assertThat(r.status()).as(r.reason()).isEqualTo(QualityRelease.Status.REFUSED);
        assertThat(r.reason()).contains("serving-predictor");
        assertThat(r.gate().orElseThrow().passed()).isFalse();
        assertThat(r.carriedFrom()).contains("v1");
        assertThat(QualityModelLoader.load(v4.resolve(QualityModelFiles.DIRECTORY)).version()).isEqualTo("v1");
    }

    /**
     * The attack on the predictor: a tenant of trust 0 sends 1,000 ratings (enough on their own to
     * train one), a tenant capped at 100 sends 1,000 more; only the honest tenant's 100 and the capped tenant's
     * newest 100 count, too few to train, and the report says why.
     */
    @Test
    void ratingsOfATrustZeroTenantAndOverATenantsCapDoNotTrainThePredictor() throws IOException {
        List<RatedOutcome> rated = new java.util.ArrayList<>(SyntheticOutcomes.generate(100, EXPERTS, 5, false));
        rated.addAll(SyntheticOutcomes.asTenant("eve", SyntheticOutcomes.generate(1000, EXPERTS, 6, true)));
        rated.addAll(SyntheticOutcomes.asTenant("mallory", SyntheticOutcomes.generate(1000, EXPERTS, 7, true)));
        Path v5 = version("v5");

        QualityRelease.Report r = release(300, Map.of("t", 1.0, "eve", 0.0, "mallory", 1.0), 100)
                .run(Optional.of(rated), SyntheticOutcomes.DOMAINS, SyntheticOutcomes.EMBEDDER, v5, Optional.empty(),
                        Optional.empty());

        assertThat(r.status()).isEqualTo(QualityRelease.Status.SKIPPED);
        assertThat(r.usable()).isEqualTo(200);
        assertThat(r.reason()).contains("200 rated outcomes");
        assertThat(r.bounds().orElseThrow().cappedByTenant()).isEqualTo(Map.of("mallory", 900));
        assertThat(r.bounds().orElseThrow().untrustedByTenant()).isEqualTo(Map.of("eve", 1000));
        assertThat(v5.resolve(QualityRelease.REPORT)).content().contains("\"mallory\" : 900", "\"eve\" : 1000",
                "\"maxPerTenant\" : 100");
    }

    @Test
    void settingsThatCouldNeverPassTheGateAreRefused() {
        assertThatThrownBy(() -> release(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min-rated-outcomes 100");
        assertThatThrownBy(() -> release(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> release(300, Map.of(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-rated-per-tenant");
    }
}
