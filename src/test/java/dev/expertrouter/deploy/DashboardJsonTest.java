package dev.expertrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What Grafana needs from the dashboard JSON (no Grafana binary can run here): unique panel ids, a
 * datasource variable every query uses, an expression on every target, the operator's rows in
 * order. That every expression returns data is DashboardTruthTest's job.
 */
class DashboardJsonTest {

    @Test
    void panelIdsAreUniqueAndEveryPanelHasAPlace() throws Exception {
        Dashboard d = Dashboard.load();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : d.panels()) {
            assertThat(p.path("id").isInt()).as("panel %s has an id", p.path("title")).isTrue();
            assertThat(ids.add(p.path("id").asInt())).as("panel id %s is unique", p.path("id")).isTrue();
            JsonNode grid = p.path("gridPos");
            assertThat(grid.path("w").asInt()).as("width of %s", p.path("title")).isBetween(1, 24);
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).isLessThanOrEqualTo(24);
            assertThat(grid.path("h").asInt()).isPositive();
            assertThat(p.path("title").asText()).isNotBlank();
        }
        assertThat(d.root().path("uid").asText()).isEqualTo("expert-router");
    }

    @Test
    void theDatasourceIsAVariableEveryQueryUses() throws Exception {
        Dashboard d = Dashboard.load();
        JsonNode vars = d.root().path("templating").path("list");
        JsonNode ds = StreamSupport.stream(vars.spliterator(), false)
                .filter(v -> v.path("name").asText().equals("datasource")).findFirst().orElseThrow();
        assertThat(ds.path("type").asText()).isEqualTo("datasource");
        assertThat(ds.path("query").asText()).isEqualTo("prometheus");
        for (JsonNode p : d.panels()) {
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(p.path("datasource").path("uid").asText()).as("datasource of %s", p.path("title")).isEqualTo("${datasource}");
            assertThat(p.path("targets")).as("targets of %s", p.path("title")).isNotEmpty();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("expr").asText()).as("expr of %s/%s", p.path("title"), t.path("refId")).isNotBlank();
                assertThat(t.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            }
        }
        for (JsonNode v : vars) {
            if (v.path("type").asText().equals("query")) {
                assertThat(v.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(v.path("query").path("query").asText()).startsWith("label_values(");
            }
        }
    }

    @Test
    void rowsFollowTheOperatorsQuestions() throws Exception {
        List<String> rows = new ArrayList<>();
        for (JsonNode p : Dashboard.load().panels()) {
            if (p.path("type").asText().equals("row")) {
                rows.add(p.path("title").asText());
            }
        }
        assertThat(rows).containsExactly("Traffic & errors", "Latency", "Routing", "Experts", "Cost", "Tenants", "Learning");
    }

    @Test
    void expressionsUseTheTemplateVariablesOnlyAsRegexMatchers() throws Exception {
        for (Dashboard.Query q : Dashboard.load().queries()) {
            // "$expert" with = would match the literal text ".*" when All is selected
            assertThat(q.expr()).as(q.panel()).doesNotContainPattern("[a-z_]+=\"\\$(policy|expert|domain|tenant)\"");
            assertThat(Dashboard.concrete(q.expr())).as(q.panel()).doesNotContain("$");
        }
    }
}
