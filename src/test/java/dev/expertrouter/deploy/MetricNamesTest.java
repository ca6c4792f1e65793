package dev.expertrouter.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The metric names and tags the dashboard and the docs rely on are the ones the gateway exports:
 * renaming a metric or a tag breaks this build, not an operator's dashboard.
 */
@QuarkusTest
@TestProfile(ObservedGatewayProfile.class)
@Tag(ObservedGatewayProfile.TAG)
class MetricNamesTest {

    private static final Logger LOG = Logger.getLogger(MetricNamesTest.class);
    /** {@code name{tag,tag}} as README.md and the docs pages list them. */
    private static final Pattern DOCUMENTED = Pattern.compile("`((?:router|gen_ai)_[a-z0-9_]+)(?:\\{([a-z_,]+)\\})?");
    private static final List<Path> DOCS = List.of(Path.of("README.md"), Path.of("docs/operations.md"),
            Path.of("docs/tenancy.md"), Path.of("docs/logs-and-metrics.md"));
    private static final List<String> SUFFIXES = List.of("", "_total", "_bucket", "_count", "_sum", "_max");

    /** Exported series name -> every label name seen on it. */
    private static Map<String, Set<String>> exported;

    /** Once per class, but on an instance: Quarkus configures RestAssured's port for the test methods. */
    @BeforeEach
    void exercise() throws Exception {
        if (exported == null) {
            List<String> answered = GatewayLoad.run(1);
            GatewayLoad.feedback(answered);
            GatewayLoad.tenants();
            exported = parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
        }
    }

    @Test
    void everyMetricAndTagTheDashboardQueriesIsExported() throws Exception {
        Set<String> all = new LinkedHashSet<>();
        List<Dashboard.Query> queries = Dashboard.load().queries();
        for (Dashboard.Query q : queries) {
            Set<String> metrics = Dashboard.metrics(q.expr());
            assertThat(metrics).as("metrics in %s", q.panel()).isNotEmpty();
            Set<String> labels = new LinkedHashSet<>();
            for (String m : metrics) {
                assertThat(exported).as("%s queries %s", q.panel(), m).containsKey(m);
                labels.addAll(exported.get(m));
            }
            assertThat(labels).as("labels of %s in %s", metrics, q.panel()).containsAll(Dashboard.labels(q.expr()));
            all.addAll(metrics);
        }
        LOG.infof("%d dashboard queries use %d metrics, all exported with the labels they filter and group by",
                queries.size(), all.size());
    }

    @Test
    void everyMetricAndTagTheDocsNameIsExported() throws Exception {
        int checked = 0;
        List<String> missing = new ArrayList<>();
        for (Path doc : DOCS) {
            Matcher m = DOCUMENTED.matcher(Files.readString(doc));
            while (m.find()) {
                String base = m.group(1);
                String name = SUFFIXES.stream().map(s -> base + s).filter(exported::containsKey).findFirst().orElse(null);
                if (name == null) {
                    missing.add(doc + " names " + base);
                } else if (m.group(2) != null && !exported.get(name).containsAll(List.of(m.group(2).split(",")))) {
                    missing.add(doc + " tags " + base + " {" + m.group(2) + "}, exported {" + String.join(",", exported.get(name)) + "}");
                }
                checked++;
            }
        }
        assertThat(missing).as("documented metrics or tags the gateway does not export").isEmpty();
        assertThat(checked).as("documented metrics found").isGreaterThan(40);
        LOG.infof("%d metric names in %s are exported with the tags they name", checked, DOCS);
    }

    /** Prometheus text format: {@code name{label="v",...} value}. */
    static Map<String, Set<String>> parse(String exposition) {
        Map<String, Set<String>> series = new LinkedHashMap<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s");
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
        for (String l : exposition.split("\n")) {
            Matcher m = line.matcher(l);
            if (l.startsWith("#") || !m.find()) {
                continue;
            }
            Set<String> labels = series.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>());
            if (m.group(3) != null) {
                Matcher lm = label.matcher(m.group(3));
                while (lm.find()) {
                    labels.add(lm.group(1));
                }
            }
        }
        return series;
    }
}
