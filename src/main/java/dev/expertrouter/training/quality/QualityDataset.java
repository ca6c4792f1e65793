package dev.expertrouter.training.quality;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.quality.QualityFeatures;
import dev.expertrouter.training.FeedbackBounds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Rated outcomes turned into examples: one per outcome with feedback and an embedding from the
 * expected embedder, in the order read (oldest first). Forced and exploration outcomes count like
 * any other: an answer rated is evidence about its expert whatever chose it. Outcomes without
 * feedback, without an embedding, or embedded by another model are skipped and counted. The usable
 * ones are then bounded per tenant ({@link FeedbackBounds}: none from a tenant of trust 0 or not
 * configured, at most the cap, the newest, from any other) and each weighs its tenant's trust times
 * its source's weight, so one tenant's flood of ratings cannot teach the predictor on its own.
 *
 * @param experts  expert ids, sorted, in the predictor's output order
 * @param examples oldest first
 * @param skipped  outcomes left out as unusable
 * @param bounds   what the per-tenant bounds kept, capped and ignored of the usable ones
 */
public record QualityDataset(List<String> experts, List<String> domains, int dimension, String embedderId,
        List<QualityExample> examples, int skipped, FeedbackBounds.Selection<RatedOutcome> bounds) {

    /** How feedback becomes a label and a weight. */
    public record Labelling(double goodThreshold, double userWeight, double juryWeight) {

        public static final Labelling DEFAULTS = new Labelling(0.5, 1.0, 0.5);

        public Labelling {
            if (!(goodThreshold > 0 && goodThreshold <= 1)) {
                throw new IllegalArgumentException("goodThreshold must be in (0, 1], got " + goodThreshold);
            }
            if (!(userWeight > 0) || !(juryWeight >= 0)) {
                throw new IllegalArgumentException("weights must be positive (jury may be 0)");
            }
        }

        double weight(Feedback.Source source) {
            return source == Feedback.Source.JURY ? juryWeight : userWeight;
        }
    }

    /** Every rated outcome fully trusted and uncapped: for tests and tools that feed trusted data. */
    public static QualityDataset from(List<RatedOutcome> rated, List<String> domains, String embedderId,
            Labelling labelling) {
        return from(rated, domains, embedderId, labelling, FeedbackBounds.UNBOUNDED);
    }

    /**
     * @param embedderId the embedder whose vectors to learn from; null takes the first one seen
     * @param bounds     each tenant's trust and cap
     */
    public static QualityDataset from(List<RatedOutcome> rated, List<String> domains, String embedderId,
            Labelling labelling, FeedbackBounds bounds) {
        String embedder = embedderId;
        int dimension = -1;
        List<RatedOutcome> usable = new ArrayList<>();
        int skipped = 0;
        for (RatedOutcome r : rated) {
            OutcomeRecord o = r.outcome();
            float[] e = o.embedding();
            boolean sameEmbedder = embedder == null || o.embedderId() == null || embedder.equals(o.embedderId());
            if (r.feedback().isEmpty() || e == null || !sameEmbedder || (dimension >= 0 && e.length != dimension)
                    || r.feedback().get().source() == Feedback.Source.JURY && labelling.juryWeight() == 0) {
                skipped++;
                continue;
            }
            if (embedder == null) {
                embedder = o.embedderId();
            }
            dimension = e.length;
            usable.add(r);
        }
        FeedbackBounds.Selection<RatedOutcome> bounded = bounds.select(usable, r -> r.outcome().tenant());
        TreeSet<String> experts = new TreeSet<>();
        bounded.items().forEach(r -> experts.add(r.outcome().expert()));
        List<String> expertList = List.copyOf(experts);
        List<QualityExample> examples = new ArrayList<>();
        for (FeedbackBounds.Kept<RatedOutcome> k : bounded.kept()) {
            OutcomeRecord o = k.item().outcome();
            Feedback f = k.item().feedback().get();
            Map<String, Double> scores = o.scores() == null ? Map.of() : o.scores();
            examples.add(new QualityExample(QualityFeatures.of(o.embedding(), scores, domains, o.promptTokens()),
                    expertList.indexOf(o.expert()), f.score() >= labelling.goodThreshold(),
                    labelling.weight(f.source()) * k.trust(), o.domain()));
        }
        return new QualityDataset(expertList, List.copyOf(domains), Math.max(0, dimension), embedder,
                List.copyOf(examples), skipped, bounded);
    }

    /** Weighted count of examples per expert: the evidence the blend weighs predictions by. */
    public double[] evidence(List<QualityExample> subset) {
        double[] n = new double[experts.size()];
        for (QualityExample x : subset) {
            n[x.expert()] += x.weight();
        }
        return n;
    }

    public QualityDataset withExamples(List<QualityExample> subset) {
        return new QualityDataset(experts, domains, dimension, embedderId, List.copyOf(subset), skipped, bounds);
    }
}
