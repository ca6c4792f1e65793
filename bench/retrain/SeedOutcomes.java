// Seeds a Redis with realistic corrected outcomes for a retrain on the real data.
// Run (after mvn package): java -cp "target/classes:target/quarkus-app/lib/main/*" bench/retrain/SeedOutcomes.java \
//     redis://127.0.0.1:PORT [count=3000] [gsm8k-count=1000] [data-dir=../shared/data] [models=router-models]
import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeCodec;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.OutcomeStore;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import dev.expertrouter.training.LabelledPrompt;
import dev.expertrouter.training.MmluDataset;
import dev.expertrouter.training.StratifiedSplit;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Chat traffic made from MMLU questions, routed by the serving router, each rated by a user who
 * names the question's true domain, written the way the gateway writes them: outcome records
 * (with the serving embedder's embedding and id) through {@link OutcomeStore#writeOutcomes} in
 * batches of 256 (the sink's batch) and feedback through {@link OutcomeStore#addFeedback}.
 *
 * <p>Two kinds of traffic. {@code gsm8k-count} grade-school maths word problems (GSM8K: no base
 * data holds them), which the router has never seen and often files under finance or general;
 * their users correct them to {@code math}. The rest are MMLU questions: only questions of the
 * MMLU <em>train</em> split (seed 42, 20/20 held out, as every retrain
 * splits) are used, each phrased three ways a user might (question alone; with its choices and a
 * request for the reasoning; with its choices and "letter only"), so no text is a base-data row
 * and no variant of a test or validation question reaches training. Every outcome gets a label;
 * where it names the routed domain it confirms the router, elsewhere it corrects it: both kinds
 * count as corrections in a retrain, and the tool prints how many disagree.
 */
public class SeedOutcomes {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        int gsm8kCount = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Path data = Path.of(args.length > 3 ? args[3] : "../shared/data");
        Path mmlu = data.resolve("mmlu");
        Path models = Path.of(args.length > 4 ? args[4] : "router-models");
        String version = Files.readString(models.resolve("current")).strip();

        List<LabelledPrompt> questions = new ArrayList<>();
        for (String file : List.of("mmlu_val.jsonl", "mmlu_dev.jsonl")) {
            int line = 0;
            for (String row : Files.readAllLines(mmlu.resolve(file))) {
                line++;
                if (!row.isBlank()) {
                    questions.add(MmluDataset.parse(dev.expertrouter.Json.MAPPER.readTree(row), file + ":" + line));
                }
            }
        }
        List<LabelledPrompt> train = StratifiedSplit.of(questions, 0.2, 0.2, 42).train();
        List<String[]> traffic = new ArrayList<>(); // {id, text, domain}
        for (LabelledPrompt q : train) {
            String question = q.text().lines().findFirst().orElse(q.text());
            traffic.add(new String[] {q.id() + "-q", question, q.domain()});
            traffic.add(new String[] {q.id() + "-why", "I'm studying for an exam and I'm stuck on this one.\n" + q.text()
                    + "\nWhich answer is right, and why?", q.domain()});
            traffic.add(new String[] {q.id() + "-letter", q.text() + "\nAnswer with the letter only.", q.domain()});
        }
        Collections.shuffle(traffic, new Random(11));
        traffic = new ArrayList<>(traffic.subList(0, Math.min(count - gsm8kCount, traffic.size())));
        List<String> gsm8k = Files.readAllLines(data.resolve("gsm8k/gsm8k_test_gpt4_mixtral.jsonl"));
        for (int i = 0; i < Math.min(gsm8kCount, gsm8k.size()); i++) {
            var row = dev.expertrouter.Json.MAPPER.readTree(gsm8k.get(i));
            traffic.add(new String[] {row.path("id").asText(), row.path("question").asText(), "math"});
        }
        Collections.shuffle(traffic, new Random(13));

        MiniLmEmbedder embedder = new MiniLmEmbedder();
        PromptTextSelector selector = new PromptTextSelector();
        RouterModel serving = RouterModelLoader.load(models.resolve(version), embedder.id());
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolWaiting(10_000));
        OutcomeStore store = new OutcomeStore(redis, Duration.ofSeconds(30));
        Instant now = Instant.now();
        Random random = new Random(5);
        long started = System.nanoTime();
        int disagree = 0;
        int gsmWrong = 0;
        int written = 0;
        List<OutcomeStore.Pending> batch = new ArrayList<>();
        List<Feedback> feedback = new ArrayList<>();
        Map<String, Integer> perDomain = new LinkedHashMap<>();
        for (int i = 0; i < traffic.size(); i++) {
            String[] t = traffic.get(i);
            String id = "seed-" + t[0];
            float[] embedding = embedder.embed(selector.select(new ChatPrompt(List.of(new ChatPrompt.Turn("user", t[1])))));
            double[] p = serving.probabilities(embedding);
            int best = 0;
            for (int d = 1; d < p.length; d++) {
                best = p[d] > p[best] ? d : best;
            }
            String routed = serving.labels().get(best);
            Map<String, Double> scores = new LinkedHashMap<>();
            scores.put(routed, p[best]);
            Instant time = now.minusSeconds(60 + random.nextInt(24 * 3600));
            String expert = routed.equals("code") ? "code-expert" : "big-generalist";
            OutcomeRecord record = new OutcomeRecord(id, time, "demo", "balanced", version, routed, p[best], scores,
                    false, expert, List.of(expert, "small-generalist"), List.of(), 200, null, 200, false,
                    300 + random.nextInt(900), 250 + random.nextInt(800), 120 + random.nextInt(200), 0.0004, 0.0,
                    dev.expertrouter.Sha256.hex(t[1]), embedding, embedder.id(), 40 + t[1].length() / 4, null, false,
                    null, false);
            batch.add(OutcomeStore.Pending.of(new OutcomeCodec.Envelope("seed", record)));
            boolean wrong = !routed.equals(t[2]);
            disagree += wrong ? 1 : 0;
            gsmWrong += wrong && t[0].startsWith("gsm8k") ? 1 : 0;
            perDomain.merge(t[2], 1, Integer::sum);
            feedback.add(new Feedback(id, "demo", expert, routed, Optional.of(t[2]), wrong ? 0.2 : 0.9,
                    Feedback.Source.USER, time.plusSeconds(30)));
            if (batch.size() == 256 || i == traffic.size() - 1) {
                written += store.writeOutcomes(batch, Duration.ofDays(30), 1_000_000);
                for (Feedback f : feedback) {
                    store.addFeedback(f, "seed", Duration.ofDays(30), now);
                }
                batch.clear();
                feedback.clear();
                System.out.printf("%d/%d outcomes (%.0f s)%n", i + 1, traffic.size(), (System.nanoTime() - started) / 1e9);
            }
        }
        System.out.printf("seeded %s: %d new outcomes, each with a domain label (%d disagree with the routed domain: "
                + "%.1f%%, %d of them GSM8K), routed by %s, from %d MMLU train questions and %d GSM8K questions; "
                + "per domain %s; stream length %d; %.0f s%n",
                url, written, disagree, 100.0 * disagree / traffic.size(), gsmWrong, version, train.size(),
                Math.min(gsm8kCount, gsm8k.size()), perDomain,
                store.length(OutcomeStore.OUTCOMES), (System.nanoTime() - started) / 1e9);
        redis.close();
        vertx.close();

    }
}
