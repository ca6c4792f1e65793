package dev.expertrouter.training.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.classifier.RouterModelException;
import dev.expertrouter.routing.quality.QualityModelFiles;
import dev.expertrouter.routing.quality.QualityModelLoader;
import dev.expertrouter.routing.quality.QualityPredictor;
import dev.expertrouter.training.quality.SyntheticOutcomes.Topic;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityTrainingTest {

    static final List<String> EXPERTS = List.of("cheap", "strong");
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    static QualityTraining training() {
        return training(40);
    }

    /** Larger batches than the default keep DL4J's per-batch overhead small on a busy machine. */
    static QualityTraining training(int maxEpochs) {
        return new QualityTraining(QualityDataset.Labelling.DEFAULTS,
                new QualityTrainer.Settings(32, 0.9, 3e-3, 1e-3, maxEpochs, 4, 64, 7), QualityGate.Thresholds.DEFAULTS,
                0.25, QUIET);
    }

    static double meanPrediction(QualityPredictor p, String expert, Topic t) {
        Random r = new Random(99);
        double sum = 0;
        for (int i = 0; i < 100; i++) {
            Classification c = new Classification(t.domain, 0.95, SyntheticOutcomes.scores(t), "v1",
                    SyntheticOutcomes.embedding(t, r), SyntheticOutcomes.EMBEDDER);
            sum += p.forPrompt(c, 40).predicted(expert).orElseThrow();
        }
        return sum / 100;
    }

    @Test
    void learnsAnExpertThatFailsOnOneSubTopicOfADomainAndPassesTheGate() {
        List<RatedOutcome> rated = SyntheticOutcomes.generate(1600, EXPERTS, 1, false);

        QualityTraining.Result result = training().run(rated, SyntheticOutcomes.DOMAINS, null, "v2", Optional.empty());

        assertThat(result.gate().passed()).as(result.gate().failures().toString()).isTrue();
        assertThat(result.gate().reference()).isEqualTo("domain-baseline");
        // the baseline can only say "cheap is 50% in medical"; the predictor tells the sub-topics apart
        assertThat(result.gate().candidate().auc()).isGreaterThan(result.gate().baseline().auc() + 0.02);
        assertThat(result.gate().candidate().logLoss()).isLessThan(result.gate().baseline().logLoss() - 0.03);
        assertThat(result.gate().candidate().ece()).isLessThan(0.1);
        QualityPredictor p = result.trained().predictor();
        double a = meanPrediction(p, "cheap", Topic.MEDICAL_A);
        double b = meanPrediction(p, "cheap", Topic.MEDICAL_B);
        assertThat(a).isGreaterThan(0.75);
        assertThat(b).isLessThan(0.35);
        assertThat(a - b).as("true gap 0.8").isGreaterThan(0.45);
        assertThat(meanPrediction(p, "strong", Topic.MEDICAL_B)).isBetween(0.7, 0.95);
        assertThat(p.evidence()[p.indexOf("cheap")]).isGreaterThan(300);
    }

    @Test
    void theGateRefusesAPredictorTrainedOnShuffledFeedback() {
        List<RatedOutcome> shuffled = SyntheticOutcomes.generate(1200, EXPERTS, 2, true);
        QualityTraining.Result trained = training().run(shuffled, SyntheticOutcomes.DOMAINS, null, "v2", Optional.empty());

        // judged on held-out outcomes with the real feedback, as the next day's traffic would be
        List<RatedOutcome> real = SyntheticOutcomes.generate(800, EXPERTS, 3, false);
        QualityDataset heldOut = QualityDataset.from(real, SyntheticOutcomes.DOMAINS, null, QualityDataset.Labelling.DEFAULTS);
        DomainBaseline baseline = new DomainBaseline(
                QualityDataset.from(SyntheticOutcomes.generate(2400, EXPERTS, 4, false), SyntheticOutcomes.DOMAINS, null,
                        QualityDataset.Labelling.DEFAULTS).examples(), EXPERTS.size(), 5);
        QualityGate.Report report = new QualityGate(QualityGate.Thresholds.DEFAULTS).check(
                QualityScorer.of(trained.trained().predictor(), baseline), baseline, false, heldOut.examples(), EXPERTS);

        assertThat(report.passed()).isFalse();
        assertThat(report.failures()).anyMatch(f -> f.startsWith("log loss") || f.startsWith("AUC"));
        // and on its own chronological hold-out of shuffled data it is no better than the baseline either
        assertThat(trained.gate().candidate().auc()).isLessThan(0.6);
    }

    @Test
    void theArtifactRoundTripsAndAFlippedByteIsRefused() throws Exception {
        QualityTraining.Result result = training(3).run(SyntheticOutcomes.generate(400, EXPERTS, 5, false),
                SyntheticOutcomes.DOMAINS, null, "v2", Optional.empty());
        Path version = Files.createDirectories(dir.resolve("v2"));

        Path written = QualityArtifactWriter.write(version, result.trained().network(), result.trained().predictor(),
                QualityDataset.Labelling.DEFAULTS, result.gate(), null);
        QualityPredictor loaded = QualityModelLoader.loadIfPresent(version).orElseThrow();

        assertThat(written).isEqualTo(version.resolve(QualityModelFiles.DIRECTORY));
        assertThat(loaded.experts()).containsExactly("cheap", "strong");
        assertThat(loaded.embedderId()).isEqualTo(SyntheticOutcomes.EMBEDDER);
        float[] x = SyntheticOutcomes.embedding(Topic.MEDICAL_B, new Random(1));
        Classification c = new Classification("medical", 0.95, SyntheticOutcomes.scores(Topic.MEDICAL_B), "v2", x,
                SyntheticOutcomes.EMBEDDER);
        assertThat(loaded.forPrompt(c, 40).predicted("cheap").orElseThrow())
                .isCloseTo(result.trained().predictor().forPrompt(c, 40).predicted("cheap").orElseThrow(),
                        org.assertj.core.data.Offset.offset(1e-6));
        String meta = Files.readString(written.resolve(QualityModelFiles.METADATA));
        assertThat(meta).contains("\"log-loss\"".replace("log-loss", "logLoss")).contains("\"ece\"").contains("\"files\"");
        assertThat(Files.list(version).map(p -> p.getFileName().toString())).containsExactly("quality");
        assertThatThrownBy(() -> QualityArtifactWriter.write(version, result.trained().network(),
                result.trained().predictor(), QualityDataset.Labelling.DEFAULTS, result.gate(), null))
                .hasMessageContaining("already exists");

        byte[] net = Files.readAllBytes(written.resolve(QualityModelFiles.NETWORK));
        net[net.length / 2] ^= 1;
        Files.write(written.resolve(QualityModelFiles.NETWORK), net);
        assertThatThrownBy(() -> QualityModelLoader.load(written)).isInstanceOf(RouterModelException.class)
                .hasMessageContaining("sha256");
    }

    @Test
    void aServingPredictorIgnoresAnExpertRemovedFromConfigAndANewOneKeepsItsPriors() {
        QualityTraining.Result result = training(3).run(SyntheticOutcomes.generate(600, List.of("cheap", "strong", "gone"), 8, false),
                SyntheticOutcomes.DOMAINS, null, "v2", Optional.empty());
        QualityPredictor p = result.trained().predictor();
        assertThat(p.experts()).containsExactly("cheap", "gone", "strong");
        // the config now lists cheap, strong and a new expert; "gone" was removed
        var cheap = expert("cheap", 1, 0.5);
        var strong = expert("strong", 10, 0.9);
        var fresh = expert("fresh", 2, 0.66);
        var policy = new dev.expertrouter.config.PolicyConfig("p", Optional.empty());
        var tenant = new dev.expertrouter.config.TenantConfig("t", List.of("0".repeat(64)), "p", List.of(), List.of(),
                dev.expertrouter.config.TenantLimits.NONE);
        var config = new dev.expertrouter.config.RouterConfig(List.of(cheap, strong, fresh), List.of(policy), "p", List.of(tenant));
        Classification c = new Classification("medical", 0.95, SyntheticOutcomes.scores(Topic.MEDICAL_B), "v2",
                SyntheticOutcomes.embedding(Topic.MEDICAL_B, new Random(3)), SyntheticOutcomes.EMBEDDER);
        var engine = new dev.expertrouter.routing.policy.PolicyEngine(dev.expertrouter.routing.ExpertAvailability.ALWAYS,
                new dev.expertrouter.routing.policy.ExpertStats(), p, new dev.expertrouter.routing.policy.QualityBlend(50),
                new Random(1));

        var decision = engine.select(new dev.expertrouter.routing.RoutingRequest(config, tenant, policy, c, 40,
                java.util.OptionalInt.empty(), java.util.OptionalDouble.empty(), java.util.OptionalLong.empty(), Optional.empty()));

        assertThat(decision.candidates()).extracting(dev.expertrouter.routing.Candidate::expert)
                .containsExactlyInAnyOrder("cheap", "strong", "fresh");
        var byId = new java.util.HashMap<String, Double>();
        decision.candidates().forEach(x -> byId.put(x.expert(), x.estQuality()));
        // fresh: its per-domain prior, 0.95 x 0.66 (medical) + 0.05 x 0.5 (math, unlisted: the default)
        assertThat(byId.get("fresh")).isCloseTo(0.95 * 0.66 + 0.05 * 0.5, org.assertj.core.data.Offset.offset(1e-12));
        double n = p.evidence()[p.indexOf("cheap")];
        double predicted = p.forPrompt(c, 40).predicted("cheap").orElseThrow();
        assertThat(byId.get("cheap")).isCloseTo((n * predicted + 50 * 0.5) / (n + 50), org.assertj.core.data.Offset.offset(1e-9));
    }

    static dev.expertrouter.config.ExpertConfig expert(String id, double price, double medical) {
        return new dev.expertrouter.config.ExpertConfig(id, "", id, null, java.util.Map.of(),
                new dev.expertrouter.config.Price(price, price), java.util.Map.of("medical", medical), 100, 8192, 30_000, 64,
                Optional.of(dev.expertrouter.config.SimulatedConfig.DEFAULTS));
    }

    @Test
    void aPromptFromAnotherEmbedderIsNotPredicted() {
        QualityTraining.Result result = training(2).run(SyntheticOutcomes.generate(300, EXPERTS, 6, false),
                SyntheticOutcomes.DOMAINS, null, "v2", Optional.empty());
        float[] x = SyntheticOutcomes.embedding(Topic.MATH, new Random(1));
        Classification other = new Classification("math", 0.95, SyntheticOutcomes.scores(Topic.MATH), "v2", x, "another-model");

        assertThat(result.trained().predictor().forPrompt(other, 40).predicted("cheap")).isEmpty();
    }
}
