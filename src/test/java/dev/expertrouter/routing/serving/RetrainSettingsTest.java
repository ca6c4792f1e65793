package dev.expertrouter.routing.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.config.RouterSettings;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code router.retrain.*} per-tenant caps are refused at start-up, naming the setting, when below 1. */
class RetrainSettingsTest {

    record Quality(int minRatedOutcomes, double goodThreshold, double juryWeight, double heldOutShare, int epochs,
            int maxRatedPerTenant, int verifierMinRated, double verifierMinAuc) implements RouterSettings.Retrain.Quality {
    }

    record Retrain(Optional<Duration> schedule, boolean autoPromote, String mmluDir, String examplesDir,
            Optional<String> embeddingCacheDir, int correctionWeight, int maxCorrectionsPerTenant, Duration window,
            int maxOutcomes, int members, int refitFolds, int epochs, Quality quality) implements RouterSettings.Retrain {
    }

    record Gates(double recallEpsilon, double maxNegativeFlipRate, double maxEce) implements RouterSettings.Gates {
    }

    static final Gates GATES = new Gates(0.01, 0.03, 0.08);

    static Quality quality(int maxRatedPerTenant) {
        return new Quality(300, 0.5, 0.5, 0.2, 80, maxRatedPerTenant, 300, 0.65);
    }

    static Retrain retrain(int maxCorrectionsPerTenant) {
        return new Retrain(Optional.empty(), true, "mmlu", "config/domains", Optional.empty(), 3, maxCorrectionsPerTenant,
                Duration.ofDays(30), 20_000, 3, 0, 60, quality(2000));
    }

    @Test
    void theDefaultsAreTakenAsGiven() {
        assertThat(ModelReleases.retrainSettings(retrain(200), GATES, "models").maxCorrectionsPerTenant()).isEqualTo(200);
        assertThat(ModelReleases.qualitySettings(quality(2000)).maxRatedPerTenant()).isEqualTo(2000);
        assertThat(ModelReleases.verifierSettings(quality(2000)).minAuc()).isEqualTo(0.65);
    }

    @Test
    void verifierSettingsOutOfRangeAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ModelReleases.verifierSettings(new Quality(300, 0.5, 0.5, 0.2, 80, 2000, 300, 0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("router.retrain.quality: verifier-min-auc must be in (0.5, 1), got 0.5");
        assertThatThrownBy(() -> ModelReleases.verifierSettings(new Quality(300, 0.5, 0.5, 0.2, 80, 2000, 5, 0.65)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("router.retrain.quality: verifier-min-rated must be >= 20, got 5");
    }

    @Test
    void aCapBelowOneIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ModelReleases.retrainSettings(retrain(0), GATES, "models"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("router.retrain: max-corrections-per-tenant must be >= 1, got 0");
        assertThatThrownBy(() -> ModelReleases.qualitySettings(quality(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("router.retrain.quality: max-rated-per-tenant must be >= 1, got -1");
    }
}
