package dev.expertrouter.training;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.RatedOutcome;
import dev.expertrouter.routing.classifier.RouterModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RetrainerTest}'s small data for tests outside its package: four topic clusters of 50
 * examples each, and {@code sql} prompts that lie near {@code math} (a router that never saw them
 * files them there) with feedback correcting them to {@code code}.
 */
public final class PlantedConfusion {

    public static final List<String> DOMAINS = List.of("code", "legal", "math", "medical");
    public static final SyntheticEmbedder EMBEDDER = new SyntheticEmbedder(Map.of("sql", "math"));

    private PlantedConfusion() {
    }

    /** One {@code <domain>.yaml} of 50 examples per domain under {@code dir}. */
    public static Path writeExamples(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String domain : DOMAINS) {
            StringBuilder yaml = new StringBuilder("domain: " + domain + "\nexamples:\n");
            for (int i = 0; i < 50; i++) {
                yaml.append("  - \"").append(domain).append(' ').append(i).append("\"\n");
            }
            Files.writeString(dir.resolve(domain + ".yaml"), yaml);
        }
        return dir;
    }

    /** {@code count} sql outcomes routed to math, each rated with the correction to code. */
    public static List<RatedOutcome> corrections(int count, Instant at) {
        List<RatedOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "sql-" + i;
            OutcomeRecord record = new OutcomeRecord(id, at, "demo", "balanced", "v1", "math", 0.9, Map.of(), false,
                    "expert-a", List.of("expert-a"), List.of(), 200, null, 200, false, 10, 5, 5, 0.0, 0.0, "sha",
                    EMBEDDER.embed("sql " + i), SyntheticEmbedder.ID, 5, null, false, null, false);
            Feedback feedback = new Feedback(id, "demo", "expert-a", "math", Optional.of("code"), 0.2,
                    Feedback.Source.USER, at);
            outcomes.add(new RatedOutcome(record, Optional.of(feedback)));
        }
        return outcomes;
    }

    /** The share of 100 unseen {@code topic} prompts the model files under {@code domain}. */
    public static double share(RouterModel model, String topic, String domain) {
        int hits = 0;
        for (int i = 1000; i < 1100; i++) {
            double[] p = model.probabilities(EMBEDDER.embed(topic + " " + i));
            int best = 0;
            for (int d = 1; d < p.length; d++) {
                best = p[d] > p[best] ? d : best;
            }
            hits += model.labels().get(best).equals(domain) ? 1 : 0;
        }
        return hits / 100.0;
    }
}
