package dev.expertrouter.training.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.training.FeedbackBounds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The rated outcomes the quality predictor learns from are bounded per tenant as the shared
 * estimates are: a flood is capped to its newest rows, a tenant of trust 0 adds none, and a
 * partly trusted tenant's rows weigh its trust.
 */
class QualityDatasetBoundsTest {

    static final List<String> EXPERTS = List.of("cheap", "strong");

    @Test
    void aFloodIsCappedToItsNewestATrustZeroTenantAddsNothingAndTrustScalesTheWeight() {
        List<RatedOutcome> rated = new ArrayList<>(SyntheticOutcomes.generate(100, EXPERTS, 1, false));
        rated.addAll(SyntheticOutcomes.asTenant("mallory", SyntheticOutcomes.generate(1000, EXPERTS, 2, true)));
        rated.addAll(SyntheticOutcomes.asTenant("eve", SyntheticOutcomes.generate(400, EXPERTS, 3, true)));
        rated.addAll(SyntheticOutcomes.asTenant("half", SyntheticOutcomes.generate(50, EXPERTS, 4, false)));
        Map<String, Double> trust = Map.of("t", 1.0, "mallory", 1.0, "eve", 0.0, "half", 0.5);
        FeedbackBounds bounds = new FeedbackBounds(
                t -> trust.containsKey(t) ? OptionalDouble.of(trust.get(t)) : OptionalDouble.empty(), 100);

        QualityDataset data = QualityDataset.from(rated, SyntheticOutcomes.DOMAINS, SyntheticOutcomes.EMBEDDER,
                QualityDataset.Labelling.DEFAULTS, bounds);

        assertThat(data.examples()).hasSize(250);
        assertThat(data.bounds().cappedByTenant()).isEqualTo(Map.of("mallory", 900));
        assertThat(data.bounds().untrustedByTenant()).isEqualTo(Map.of("eve", 400));
        assertThat(data.bounds().items().stream().filter(r -> r.outcome().tenant().equals("mallory"))
                .map(r -> r.outcome().requestId())).as("the flood's newest 100")
                .hasSize(100).allMatch(id -> Integer.parseInt(id.substring("mallory-req-".length())) >= 900);
        // in the order given: t's 100, mallory's newest 100, half's 50 (a user's rating weighs 1, the jury's 0.5)
        assertThat(data.examples().subList(0, 200)).allMatch(x -> x.weight() == 1.0 || x.weight() == 0.5);
        assertThat(data.examples().subList(200, 250)).allMatch(x -> x.weight() == 0.5 || x.weight() == 0.25);

        QualityDataset unbounded = QualityDataset.from(rated, SyntheticOutcomes.DOMAINS, SyntheticOutcomes.EMBEDDER,
                QualityDataset.Labelling.DEFAULTS);
        assertThat(unbounded.examples()).as("trusted data for tests and tools: everything").hasSize(1550);
    }
}
