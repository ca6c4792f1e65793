package dev.expertrouter.training.quality;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.RatedOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A planted world domain routing cannot express. Prompts are 16-dim unit vectors around one of
 * three cluster centres: {@code math}, and two sub-topics of {@code medical} (A and B). Expert
 * {@code cheap} answers math and medical-A well (0.9) but fails medical-B (0.1); {@code strong} is
 * good everywhere (0.85). Per domain, cheap is 0.5 in medical, so a domain router sends all of
 * medical to one expert; per prompt, A should go to cheap and B to strong.
 */
final class SyntheticOutcomes {

    static final int DIM = 16;
    static final List<String> DOMAINS = List.of("math", "medical");
    static final String EMBEDDER = "synthetic";

    enum Topic {
        MATH("math", 0), MEDICAL_A("medical", 1), MEDICAL_B("medical", 2);

        final String domain;
        final int axis;

        Topic(String domain, int axis) {
            this.domain = domain;
            this.axis = axis;
        }
    }

    static double pGood(String expert, Topic t) {
        if (expert.equals("strong")) {
            return 0.85;
        }
        return t == Topic.MEDICAL_B ? 0.1 : 0.9;
    }

    static float[] embedding(Topic t, Random r) {
        float[] v = new float[DIM];
        double norm = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) (r.nextGaussian() * 0.35 + (i == t.axis ? 1.0 : 0));
            norm += v[i] * v[i];
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    static Map<String, Double> scores(Topic t) {
        return t.domain.equals("math") ? Map.of("math", 0.95, "medical", 0.05) : Map.of("math", 0.05, "medical", 0.95);
    }

    /**
     * @param shuffled feedback scores permuted across outcomes (no relation to prompt or expert left)
     */
    static List<RatedOutcome> generate(int n, List<String> experts, long seed, boolean shuffled) {
        Random r = new Random(seed);
        Topic[] topics = Topic.values();
        List<RatedOutcome> out = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Topic t = topics[r.nextInt(topics.length)];
            String expert = experts.get(r.nextInt(experts.size()));
            double score = r.nextDouble() < pGood(expert, t) ? 1.0 : 0.0;
            labels.add(score);
            out.add(rated(i, t, expert, embedding(t, r), score, r.nextInt(4) == 0 ? Feedback.Source.JURY : Feedback.Source.USER));
        }
        if (shuffled) {
            java.util.Collections.shuffle(labels, new Random(seed + 1));
            List<RatedOutcome> mixed = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                RatedOutcome o = out.get(i);
                Feedback f = o.feedback().get();
                mixed.add(new RatedOutcome(o.outcome(), Optional.of(new Feedback(f.requestId(), f.tenant(), f.expert(),
                        f.routedDomain(), Optional.empty(), labels.get(i), f.source(), f.time()))));
            }
            return mixed;
        }
        return out;
    }

    /** The same outcomes and ratings, as requests (and ratings) of another tenant, with ids of their own. */
    static List<RatedOutcome> asTenant(String tenant, List<RatedOutcome> rated) {
        List<RatedOutcome> out = new ArrayList<>();
        for (RatedOutcome r : rated) {
            OutcomeRecord o = r.outcome();
            String id = tenant + "-" + o.requestId();
            OutcomeRecord mine = new OutcomeRecord(id, o.time(), tenant, o.policy(), o.routerVersion(), o.domain(),
                    o.confidence(), o.scores(), o.forced(), o.expert(), o.candidates(), o.fallbacks(), o.status(),
                    o.errorCode(), o.upstreamStatus(), o.stream(), o.latencyMs(), o.promptTokens(), o.completionTokens(),
                    o.costUsd(), o.savedUsd(), o.promptSha256(), o.embedding(), o.embedderId(), o.upstreamLatencyMs(),
                    o.promptText(), o.exploration(), o.affinity(), o.costEstimated());
            Feedback f = r.feedback().get();
            out.add(new RatedOutcome(mine, Optional.of(new Feedback(id, tenant, f.expert(), f.routedDomain(),
                    f.correctedDomain(), f.score(), f.source(), f.time()))));
        }
        return out;
    }

    static RatedOutcome rated(int i, Topic t, String expert, float[] embedding, double score, Feedback.Source source) {
        Instant time = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i);
        OutcomeRecord o = new OutcomeRecord("req-" + i, time, "t", "p", "v1", t.domain, 0.95, scores(t), false, expert,
                List.of(expert), List.of(), 200, null, 200, false, 100, 40, 100, 0.001, 0, "sha", embedding, EMBEDDER,
                90, null, false, null, false);
        return new RatedOutcome(o, Optional.of(new Feedback(o.requestId(), "t", expert, t.domain, Optional.empty(), score,
                source, time)));
    }
}
