package dev.expertrouter.training.quality;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.quality.QualityFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Rated outcomes turned into examples: one per outcome with feedback and an embedding from the
 * expected embedder, in the order read (oldest first). Forced and exploration outcomes count like
 * any other: an answer rated is evidence about its expert whatever chose it. Outcomes without
 * feedback, without an embedding, or embedded by another model are skipped and counted.
 *
 * @param experts  expert ids, sorted, in the predictor's output order
 * @param examples oldest first
 * @param skipped  outcomes left out
 */
public record QualityDataset(List<String> experts, List<String> domains, int dimension, String embedderId,
        List<QualityExample> examples, int skipped) {

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

    /**
     * @param embedderId the embedder whose vectors to learn from; null takes the first one seen
     */
    public static QualityDataset from(List<RatedOutcome> rated, List<String> domains, String embedderId,
            Labelling labelling) {
        String embedder = embedderId;
        int dimension = -1;
        TreeSet<String> experts = new TreeSet<>();
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
            experts.add(o.expert());
            usable.add(r);
        }
        List<String> expertList = List.copyOf(experts);
        List<QualityExample> examples = new ArrayList<>();
        for (RatedOutcome r : usable) {
            OutcomeRecord o = r.outcome();
            Feedback f = r.feedback().get();
            Map<String, Double> scores = o.scores() == null ? Map.of() : o.scores();
            examples.add(new QualityExample(QualityFeatures.of(o.embedding(), scores, domains, o.promptTokens()),
                    expertList.indexOf(o.expert()), f.score() >= labelling.goodThreshold(),
                    labelling.weight(f.source()), o.domain()));
        }
        return new QualityDataset(expertList, List.copyOf(domains), Math.max(0, dimension), embedder,
                List.copyOf(examples), skipped);
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
        return new QualityDataset(experts, domains, dimension, embedderId, List.copyOf(subset), skipped);
    }
}
