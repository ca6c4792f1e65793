package dev.expertrouter.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shipped Grafana dashboard, read the way the tests need it. */
record Dashboard(JsonNode root) {

    static final Path FILE = Path.of("helm/expert-router/dashboards/expert-router.json");
    /** Metric names in PromQL: ours, the GenAI conventions' and Quarkus' HTTP server metrics. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:router|gen_ai|http_server)_[a-z0-9_]+)");
    private static final Pattern LABEL_MATCHER = Pattern.compile("([a-z_]+)\\s*(?:=~|!~|!=|=)\\s*\"");
    private static final Pattern GROUPING = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");

    static Dashboard load() throws IOException {
        return new Dashboard(new ObjectMapper().readTree(FILE.toFile()));
    }

    /** Every panel, rows' nested panels included. */
    List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : root.path("panels")) {
            all.add(p);
            p.path("panels").forEach(all::add);
        }
        return all;
    }

    /** One query of one panel. */
    record Query(String panel, String refId, String expr) {
    }

    List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode p : panels()) {
            for (JsonNode t : p.path("targets")) {
                queries.add(new Query(p.path("title").asText(), t.path("refId").asText(), t.path("expr").asText(null)));
            }
        }
        return queries;
    }

    /**
     * The expression as Prometheus must see it: the dashboard variables as match-all regexes,
     * Grafana's interval variables as fixed windows.
     */
    static String concrete(String expr) {
        return expr.replace("$__rate_interval", "30s").replace("$__interval", "5s").replace("$__range", "5m")
                .replace("$policy", ".*").replace("$expert", ".*").replace("$domain", ".*").replace("$tenant", ".*");
    }

    /** Metric name (without _bucket/_sum/_count/_total) -> labels a query filters or groups it by. */
    static Set<String> metrics(String expr) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Labels named in matchers and groupings ({@code le} and Prometheus' own aside). */
    static Set<String> labels(String expr) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher m = LABEL_MATCHER.matcher(expr);
        while (m.find()) {
            labels.add(m.group(1));
        }
        Matcher g = GROUPING.matcher(expr);
        while (g.find()) {
            for (String l : g.group(1).split(",")) {
                if (!l.isBlank()) {
                    labels.add(l.trim());
                }
            }
        }
        labels.remove("le");
        return labels;
    }
}
