package dev.expertrouter.perceptive;

import static dev.expertrouter.RoutedTestProfile.demo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeCodec;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.OutcomeStore;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.policy.ExpertQualityEstimator;
import dev.expertrouter.routing.quality.AnswerChecks;
import dev.expertrouter.routing.serving.ServingQualityPredictor;
import dev.expertrouter.routing.serving.ServingRouter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The learning loop of the quality predictor, end to end on a real (private) Redis: rated outcomes
 * in the outcome log -> {@code POST /admin/router/retrain} trains and gates a predictor into the
 * new version -> {@code /admin/router/versions} shows its gate -> promoting the version makes
 * {@code /v1/route}'s {@code est_quality} the new predictor's, with no restart -> rolling back
 * serves the old version's (none) again.
 */
@QuarkusTest
@Tag("own-jvm-perceptive") // serves the router model under a profile of its own: a JVM of its own (see pom.xml)
@TestProfile(PerceptiveTestProfile.class)
class PerceptiveReleasesTest {

    static final String SMALL = "small-generalist";
    static final String BIG = "big-generalist";
    static final String PROMPT = "My father has sudden weakness on one side of his face. What should we do?";
    static final int DIM = 384;

    @Inject
    OutcomeStore store;
    @Inject
    ServingRouter router;
    @Inject
    ServingQualityPredictor quality;

    static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + PerceptiveTestProfile.ADMIN_KEY).contentType(ContentType.JSON);
    }

    static Map<String, Double> estQuality() {
        JsonPath route = demo().body(body(PROMPT)).post("/v1/route").then().statusCode(200).extract().jsonPath();
        Map<String, Double> est = new HashMap<>();
        for (Map<String, Object> c : route.<Map<String, Object>>getList("candidates")) {
            est.put((String) c.get("expert"), ((Number) c.get("est_quality")).doubleValue());
        }
        return est;
    }

    static String body(String prompt) {
        return "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"" + prompt + "\"}]}";
    }

    /**
     * A planted per-prompt pattern: three clusters (axes 0, 1, 2 of the embedding space); the
     * small expert is good on two and bad on the third, the big one good everywhere. The router's
     * domains cannot tell clusters 1 and 2 apart (same domain scores), so the per-domain baseline
     * cannot express it and a predictor that learns it passes its gate.
     */
    void writeRatedOutcomes(int n) {
        List<String> domains = router.model().orElseThrow().labels();
        Random r = new Random(11);
        Random answers = new Random(12); // the answer checks' own draws: the rest of the data stays as it was
        Instant start = Instant.now().minusSeconds(n);
        List<OutcomeStore.Pending> batch = new ArrayList<>();
        List<Feedback> feedback = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int topic = r.nextInt(3);
            String expert = r.nextBoolean() ? SMALL : BIG;
            double pGood = expert.equals(BIG) ? 0.85 : topic == 2 ? 0.1 : 0.9;
            float[] v = new float[DIM];
            double norm = 0;
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) (r.nextGaussian() * 0.05 + (d == topic ? 1 : 0));
                norm += v[d] * v[d];
            }
            for (int d = 0; d < DIM; d++) {
                v[d] /= (float) Math.sqrt(norm);
            }
            String domain = topic == 0 ? domains.get(0) : domains.get(1);
            Map<String, Double> scores = new HashMap<>();
            domains.forEach(d -> scores.put(d, d.equals(domain) ? 0.9 : 0.1 / (domains.size() - 1)));
            Instant time = start.plusSeconds(i);
            String id = "synthetic-" + i;
            boolean good = r.nextDouble() < pGood;
            OutcomeRecord o = new OutcomeRecord(id, time, "demo", "balanced", "v4", domain, 0.9, scores, false, expert,
                    List.of(expert), List.of(), 200, null, 200, false, 300, 40, 100, 0.001, 0, "sha-" + i, v,
                    MiniLmEmbedder.ID, 290, null, false, null, false, answerChecks(expert, good, answers));
            batch.add(OutcomeStore.Pending.of(new OutcomeCodec.Envelope("perceptive-test", o)));
            feedback.add(new Feedback(id, "demo", expert, domain, Optional.empty(), good ? 1.0 : 0.0,
                    Feedback.Source.USER, time));
            if (batch.size() == 200) {
                store.writeOutcomes(batch, Duration.ofDays(1), 1_000_000);
                batch.clear();
            }
        }
        store.writeOutcomes(batch, Duration.ofDays(1), 1_000_000);
        for (Feedback f : feedback) {
            assertThat(store.addFeedback(f, "perceptive-test", Duration.ofDays(1), Instant.now())).isPresent();
        }
    }

    /**
     * The small expert's bad answers mostly show a final number that disagrees with their last one
     * (a planted tell an answer verifier learns); the big expert's checks are noise (no verifier
     * passes its gate).
     */
    static double[] answerChecks(String expert, boolean good, Random r) {
        double[] x = new double[AnswerChecks.FEATURES.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = r.nextDouble() * 0.5;
        }
        double tell = expert.equals(SMALL) ? (good ? 0.1 : 0.8) : 0.3;
        x[AnswerChecks.FEATURES.indexOf("final_disagrees")] = r.nextDouble() < tell ? 1 : 0;
        return x;
    }

    @Test
    void aRetrainTrainsTheQualityPredictorAndPromotionAndRollbackSwapItWithTheRouter() {
        writeRatedOutcomes(1200);

        // a retrain takes longer than the test client's default read timeout on a busy machine
        JsonPath retrain = admin().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 900_000).setParam("http.connection.timeout", 10_000)))
                .when().post("/admin/router/retrain").then().statusCode(200).extract().jsonPath();
        String version = retrain.getString("version");
        assertThat(version).isEqualTo("v5");
        assertThat(retrain.getBoolean("promoted")).isFalse(); // auto-promote is off in this profile
        assertThat(retrain.getString("quality.status")).as(retrain.getString("quality.reason")).isEqualTo("trained");
        assertThat(retrain.getInt("quality.usable")).isGreaterThanOrEqualTo(1200);
        assertThat(retrain.getInt("correctionBounds.kept")).isEqualTo(retrain.getInt("corrections"));
        assertThat(retrain.getBoolean("quality.gate.passed")).isTrue();
        assertThat(retrain.getString("quality.gate.reference")).isEqualTo("domain-baseline");
        assertThat(retrain.getDouble("quality.gate.candidate.auc"))
                .isGreaterThan(retrain.getDouble("quality.gate.baseline.auc") + 0.02);

        JsonPath versions = admin().when().get("/admin/router/versions").then().statusCode(200).extract().jsonPath();
        assertThat(versions.getString("serving")).isEqualTo("v4");
        assertThat(versions.getString("qualityServing")).isNull();
        assertThat(versions.getBoolean("versions.find { it.version == 'v5' }.quality.present")).isTrue();
        assertThat(versions.getBoolean("versions.find { it.version == 'v5' }.quality.gate.passed")).isTrue();
        assertThat(versions.getString("versions.find { it.version == 'v5' }.quality.retrain.status")).isEqualTo("trained");
        assertThat(versions.getBoolean("versions.find { it.version == 'v4' }.quality.present")).isFalse();
        // the same retrain learnt the small expert's answer verifier; the big one's checks are noise
        assertThat(versions.getMap("versions.find { it.version == 'v5' }.verifiers.experts")).containsOnlyKeys(SMALL);
        assertThat(versions.getString("versions.find { it.version == 'v5' }.verifiers.experts.'" + SMALL + "'.trainedIn"))
                .isEqualTo("v5");
        // (skipped: too few bad answers held out to judge by; refused: not surely above chance)
        assertThat(versions.<String>getList("versions.find { it.version == 'v5' }.verifiers.retrain.experts.findAll { it.expert == '"
                + BIG + "' }.status")).singleElement().isIn("skipped", "refused");
        assertThat(versions.getList("verifiersServing")).isEmpty();

        // v4 serves without a predictor: per-domain estimates
        assertThat(quality.predictor()).isEmpty();
        Map<String, Double> priors = estQuality();

        admin().body("{\"version\": \"v5\"}").when().post("/admin/router/promote").then().statusCode(200);
        assertThat(quality.predictor().orElseThrow().version()).isEqualTo("v5");
        assertThat(admin().when().get("/admin/router/versions").then().extract().jsonPath().getString("qualityServing"))
                .isEqualTo("v5");
        assertThat(admin().when().get("/admin/router/versions").then().extract().jsonPath().getList("verifiersServing"))
                .containsExactly(SMALL);
        Map<String, Double> promoted = estQuality();
        // with quality-prior-weight 0, an expert the predictor knows is judged by its prediction alone
        ChatPrompt prompt = new ChatPrompt(List.of(new ChatPrompt.Turn("user", PROMPT)));
        Classification c = router.classify(prompt);
        assertThat(c.routerVersion()).isEqualTo("v5");
        ExpertQualityEstimator.PromptQuality predicted = quality.forPrompt(c, prompt.estimatedTokens());
        for (String expert : List.of(SMALL, BIG)) {
            // the network computes in float
            assertThat(promoted.get(expert)).as(expert).isCloseTo(predicted.predicted(expert).orElseThrow(), within(1e-6));
        }
        assertThat(promoted.get(SMALL)).isNotCloseTo(priors.get(SMALL), within(1e-6));

        admin().when().post("/admin/router/rollback").then().statusCode(200);
        assertThat(quality.predictor()).isEmpty();
        assertThat(admin().when().get("/admin/router/versions").then().extract().jsonPath().getList("verifiersServing"))
                .isEmpty();
        Map<String, Double> rolledBack = estQuality();
        for (String expert : priors.keySet()) {
            assertThat(rolledBack.get(expert)).as(expert).isCloseTo(priors.get(expert), within(1e-9));
        }
    }
}
