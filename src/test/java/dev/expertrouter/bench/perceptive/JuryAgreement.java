package dev.expertrouter.bench.perceptive;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.jury.Judge;
import dev.expertrouter.outcomes.jury.JuryPanel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * How well a jury of simulated judges agrees with the real correctness of GSM8K answers (GPT-4's
 * and Mixtral's, 2,638 answers). A simulated judge does not read the answer: it knows whether it
 * was right (as a replayed simulated expert does) and says so noisily, score = clamp(0.5 + 0.2 (right)
 * or - 0.2 (wrong) + its own bias ~ U(-0.1, 0.1) + noise ~ N(0, 0.3)). Run:
 * {@code java -cp ... dev.expertrouter.bench.perceptive.JuryAgreement [data dir]}.
 */
public final class JuryAgreement {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../../shared/data");
        List<BenchData.GsmItem> items = BenchData.gsm8k(data.resolve("gsm8k/gsm8k_test_gpt4_mixtral.jsonl"));
        Random random = new Random(42);
        for (int size : new int[] {1, 3, 5}) {
            List<Judge> judges = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                judges.add(new NoisyJudge("judge-" + j, (random.nextDouble() - 0.5) * 0.2, new Random(100 + j)));
            }
            JuryPanel panel = new JuryPanel(judges, 1.0, 1.0, new Random(1), Clock.systemUTC());
            List<Double> scores = new ArrayList<>();
            List<Boolean> truth = new ArrayList<>();
            for (BenchData.GsmItem it : items) {
                for (boolean right : new boolean[] {it.gpt4(), it.mixtral()}) {
                    Optional<Feedback> f = panel.consider(outcome(it.id()), it.question(), right ? "RIGHT" : "WRONG");
                    scores.add(f.orElseThrow().score());
                    truth.add(right);
                }
            }
            int agree = 0;
            for (int i = 0; i < scores.size(); i++) {
                agree += (scores.get(i) >= 0.5) == truth.get(i) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "jury of %d: agreement with real correctness %.1f%% (%d answers), AUC %.3f%n",
                    size, 100.0 * agree / scores.size(), scores.size(), auc(scores, truth));
        }
    }

    static OutcomeRecord outcome(String id) {
        return new OutcomeRecord(id, java.time.Instant.EPOCH, "bench", "p", "v", "math", 1, Map.of(), false, "x", List.of(),
                List.of(), 200, null, 200, false, 0, 0, 0, 0.001, 0, "", null, null, 0, null, false, null, false);
    }

    static double auc(List<Double> s, List<Boolean> y) {
        double pos = 0;
        double neg = 0;
        double wins = 0;
        for (int i = 0; i < s.size(); i++) {
            if (!y.get(i)) {
                continue;
            }
            pos++;
            for (int j = 0; j < s.size(); j++) {
                if (!y.get(j)) {
                    wins += s.get(i) > s.get(j) ? 1 : s.get(i).equals(s.get(j)) ? 0.5 : 0;
                }
            }
        }
        for (boolean b : y) {
            neg += b ? 0 : 1;
        }
        return wins / (pos * neg);
    }

    /** The simulated judge: knows the replayed correctness, reports it through bias and noise. */
    record NoisyJudge(String id, double bias, Random random) implements Judge {
        @Override
        public Optional<Verdict> judge(String prompt, String answer) {
            double s = 0.5 + ("RIGHT".equals(answer) ? 0.2 : -0.2) + bias + random.nextGaussian() * 0.3;
            return Optional.of(new Verdict(Math.min(1, Math.max(0, s)), 0.0001));
        }
    }
}
