package dev.expertrouter.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.testing.PrometheusServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dashboard is true: a real Prometheus scrapes this gateway every second while a short load
 * runs (whole and streamed answers, fallbacks from a failing expert, feedback, tenants refused by
 * their limits and one admitted while Redis stalls), then every PromQL
 * expression of every panel, and every variable's label query, must parse and return data.
 * Loopback only; bounded at about a minute.
 */
@QuarkusTest
@TestProfile(ObservedGatewayProfile.class)
@Tag(ObservedGatewayProfile.TAG)
class DashboardTruthTest {

    private static final Logger LOG = Logger.getLogger(DashboardTruthTest.class);
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)");

    @Test
    void theGatewayServesTheHealthPathsTheChartProbes() {
        for (String path : HelmChartTest.HEALTH_PATHS) {
            given().get(path).then().statusCode(200);
        }
    }

    @Test
    void everyPanelQueryReturnsDataFromARealPrometheus() throws Exception {
        Dashboard dashboard = Dashboard.load();
        long t0 = System.nanoTime();
        try (PrometheusServer prometheus = PrometheusServer.start("expert-router", RestAssured.port, "/q/metrics")) {
            awaitScraped(prometheus);
            long t1 = System.nanoTime();
            // feedback between two rounds, so the counters it creates are scraped before and after it grows
            List<String> answered = GatewayLoad.run(1);
            GatewayLoad.feedback(answered);
            GatewayLoad.run(1);
            GatewayLoad.feedback(answered.subList(2, answered.size()));
            GatewayLoad.tenants();
            LOG.infof("load ran in %d ms (Prometheus up after %d ms)", (System.nanoTime() - t1) / 1_000_000,
                    (t1 - t0) / 1_000_000);

            Map<String, String> pending = new LinkedHashMap<>();
            for (Dashboard.Query q : dashboard.queries()) {
                pending.put(q.panel() + " [" + q.refId() + "]", Dashboard.concrete(q.expr()));
            }
            Map<String, String> why = new LinkedHashMap<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (var it = pending.entrySet().iterator(); it.hasNext();) {
                    var e = it.next();
                    JsonNode answer = prometheus.query(e.getValue());
                    if (!"success".equals(answer.path("status").asText())) {
                        fail("%s does not parse: %s\n%s", e.getKey(), answer.path("error").asText(), e.getValue());
                    }
                    String problem = problem(answer.path("data"));
                    if (problem == null) {
                        it.remove();
                        why.remove(e.getKey());
                    } else {
                        why.put(e.getKey(), problem);
                    }
                }
                if (!pending.isEmpty()) {
                    Thread.sleep(1000); // one scrape
                }
            }
            assertThat(why).as("panels without data after the load (expression: %s)", pending).isEmpty();

            for (JsonNode v : dashboard.root().path("templating").path("list")) {
                Matcher m = LABEL_VALUES.matcher(v.path("query").path("query").asText());
                if (m.matches()) {
                    assertThat(prometheus.labelValues(m.group(2), m.group(1)).path("data"))
                            .as("values of variable %s", v.path("name")).isNotEmpty();
                }
            }
            LOG.infof("dashboard checked against Prometheus %d: %d queries of %d panels returned data, in %d ms",
                    prometheus.port(), dashboard.queries().size(), dashboard.panels().size(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Null when the query returned at least one real number, else why not. */
    private static String problem(JsonNode data) {
        JsonNode result = data.path("result");
        if ("scalar".equals(data.path("resultType").asText())) {
            return isNumber(result.path(1).asText()) ? null : "scalar " + result;
        }
        if (result.isEmpty()) {
            return "empty result";
        }
        List<String> values = new ArrayList<>();
        for (JsonNode series : result) {
            String value = series.path("value").path(1).asText();
            if (isNumber(value)) {
                return null;
            }
            values.add(value);
        }
        return "only " + values;
    }

    private static boolean isNumber(String v) {
        return !v.isEmpty() && !v.equals("NaN") && !v.contains("Inf");
    }

    private static void awaitScraped(PrometheusServer prometheus) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode up = prometheus.query("up{job=\"expert-router\"} == 1").path("data").path("result");
            if (!up.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        fail("Prometheus never scraped the gateway at 127.0.0.1:%d/q/metrics", RestAssured.port);
    }
}
