package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.outcomes.RatedOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * What one tenant's feedback may teach a retrain, by hand-counted cases: the selection itself, and
 * the corrections the retrainer takes from an outcome log one tenant flooded.
 */
class FeedbackBoundsTest {

    static FeedbackBounds bounds(Map<String, Double> trust, int cap) {
        return new FeedbackBounds(t -> trust.containsKey(t) ? OptionalDouble.of(trust.get(t)) : OptionalDouble.empty(), cap);
    }

    /** {@code tenant:n}, oldest first. */
    record Row(String tenant, int n) {
    }

    static List<Row> rows(String tenant, int from, int count) {
        List<Row> rows = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            rows.add(new Row(tenant, i));
        }
        return rows;
    }

    @Test
    void eachTenantKeepsItsNewestUpToTheCapInTheOrderGiven() {
        List<Row> log = new ArrayList<>();
        log.addAll(rows("mallory", 0, 6));
        log.addAll(rows("acme", 0, 2));
        log.addAll(rows("mallory", 6, 4));

        FeedbackBounds.Selection<Row> s = bounds(Map.of("mallory", 1.0, "acme", 1.0), 3).select(log, Row::tenant);

        assertThat(s.items()).containsExactly(new Row("acme", 0), new Row("acme", 1), new Row("mallory", 7),
                new Row("mallory", 8), new Row("mallory", 9));
        assertThat(s.cappedByTenant()).isEqualTo(Map.of("mallory", 7));
        assertThat(s.capped()).isEqualTo(7);
        assertThat(s.untrusted()).isZero();
        assertThat(s.toJson().toString()).isEqualTo(
                "{\"kept\":5,\"capped\":7,\"untrusted\":0,\"maxPerTenant\":3,\"cappedByTenant\":{\"mallory\":7},"
                        + "\"untrustedByTenant\":{}}");
    }

    @Test
    void aTenantOfTrustZeroOrNotConfiguredTeachesNothingAndTheOthersCarryTheirTrust() {
        List<Row> log = new ArrayList<>();
        log.addAll(rows("eve", 0, 5));
        log.addAll(rows("gone", 0, 2));
        log.addAll(rows("half", 0, 2));
        log.add(null);

        FeedbackBounds.Selection<Row> s = bounds(Map.of("eve", 0.0, "half", 0.5), 10)
                .select(log, r -> r == null ? null : r.tenant());

        assertThat(s.items()).containsExactly(new Row("half", 0), new Row("half", 1));
        assertThat(s.kept()).allSatisfy(k -> assertThat(k.trust()).isEqualTo(0.5));
        assertThat(s.untrustedByTenant()).isEqualTo(Map.of("eve", 5, "gone", 2, "null", 1));
        assertThat(s.capped()).isZero();
    }

    @Test
    void trustScalesWhatACorrectionCountsForButNeverBelowOnce() {
        float[] e = {1f};
        assertThat(new CorrectedExample("a", e, "code").copies(3)).isEqualTo(3);
        assertThat(new CorrectedExample("a", e, "code", 0.5).copies(3)).isEqualTo(2);
        assertThat(new CorrectedExample("a", e, "code", 0.34).copies(3)).isEqualTo(1);
        assertThat(new CorrectedExample("a", e, "code", 0.01).copies(3)).isEqualTo(1);
        assertThatThrownBy(() -> new CorrectedExample("a", e, "code", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThatThrownBy(() -> bounds(Map.of(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cap must be >= 1");
        assertThatThrownBy(() -> new Retrainer.Settings(Optional.empty(), java.nio.file.Path.of("x"), java.nio.file.Path.of("y"),
                Optional.empty(), 3, java.time.Duration.ofDays(1), 10, 1, 0, 1, PromotionGates.DEFAULTS, 0))
                .hasMessageContaining("max-corrections-per-tenant");
    }

    /**
     * The attack as the outcome log holds it: 500 corrections of one tenant to a wrong domain, 300
     * of a tenant with trust 0, and a few correct ones of another. The retrainer's corrections hold
     * the cap's worth of the flood (its newest), none of the trust-0 tenant's, all of the others'.
     */
    @Test
    void theRetrainersCorrectionsOfAFloodedLogAreBoundedPerTenant() {
        List<RatedOutcome> log = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            log.add(RetrainerTest.outcome("mallory", "m-" + i, "sql " + i, "math", Optional.of("legal"), SyntheticEmbedder.ID));
        }
        for (int i = 0; i < 300; i++) {
            log.add(RetrainerTest.outcome("eve", "e-" + i, "sql " + i, "math", Optional.of("legal"), SyntheticEmbedder.ID));
        }
        for (int i = 0; i < 12; i++) {
            log.add(RetrainerTest.outcome("acme", "a-" + i, "sql " + i, "math", Optional.of("code"), SyntheticEmbedder.ID));
        }
        log.add(RetrainerTest.outcome("half", "h-0", "sql 0", "math", Optional.of("code"), SyntheticEmbedder.ID));

        FeedbackBounds.Selection<CorrectedExample> s = Retrainer.corrections(log, SyntheticEmbedder.ID,
                bounds(Map.of("mallory", 1.0, "eve", 0.0, "acme", 1.0, "half", 0.5), 20));

        assertThat(s.items()).hasSize(33);
        assertThat(s.items().stream().filter(c -> c.domain().equals("legal")).map(CorrectedExample::id))
                .as("the flood's newest 20").hasSize(20).allMatch(id -> Integer.parseInt(id.substring(2)) >= 480);
        assertThat(s.items().stream().filter(c -> c.domain().equals("code"))).hasSize(13);
        assertThat(s.items()).filteredOn(c -> c.id().equals("h-0")).singleElement()
                .satisfies(c -> assertThat(c.trust()).isEqualTo(0.5));
        assertThat(s.cappedByTenant()).isEqualTo(Map.of("mallory", 480));
        assertThat(s.untrustedByTenant()).isEqualTo(Map.of("eve", 300));
    }
}
