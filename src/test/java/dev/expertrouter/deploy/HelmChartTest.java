package dev.expertrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.expertrouter.config.RouterSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart, checked by Helm itself (helm-java embeds Helm's Go library): it lints, renders,
 * and what it renders parses into Kubernetes objects whose probes, ports, env and mounts agree with
 * what the gateway really serves and reads. No Quarkus boot: this stays a few seconds.
 */
class HelmChartTest {

    static final Path CHART = Path.of("helm/expert-router");
    static final Path DASHBOARD = CHART.resolve("dashboards/expert-router.json");
    static final String RELEASE = "rt";
    static final String FULLNAME = "rt-expert-router";
    /** SmallRye Health's endpoints, which the gateway serves (DashboardTruthTest asserts them live). */
    static final List<String> HEALTH_PATHS = List.of("/q/health/started", "/q/health/live", "/q/health/ready");
    static final List<String> CONFIG_FILES = List.of("experts.yaml", "policies.yaml", "tenants.yaml");

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Test
    void chartCopyOfTheConfigIsTheShippedConfig() throws IOException {
        for (String file : CONFIG_FILES) {
            assertThat(Files.readString(CHART.resolve("config").resolve(file)))
                    .as("helm/expert-router/config/%s must equal config/%s (copy it over)", file, file)
                    .isEqualTo(Files.readString(Path.of("config", file)));
        }
    }

    @Test
    void lintPassesStrictOnceTenantKeysHaveASource(@TempDir Path tmp) throws IOException {
        Path chart = copyChart(tmp);
        Files.writeString(chart.resolve("values.yaml"), Files.readString(chart.resolve("values.yaml"))
                .replace("keysSecret: \"\"\n  # -- Set to true", "keysSecret: tenant-keys\n  # -- Set to true"));
        LintResult lint = new Helm(chart).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    /**
     * Helm's lint only logs a template's {@code fail} (values may be missing on purpose), so the
     * shipped values lint clean; the refusal itself is asserted on {@code helm template} below.
     */
    @Test
    void lintOfTheShippedValuesPassesStrict() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void renderingWithoutATenantKeySourceFailsWithTheChartsMessage() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName(RELEASE).call())
                .hasMessageContaining("expert-router: no tenant key source")
                .hasMessageContaining("tenants.keysSecret");
        assertThatThrownBy(() -> template(Map.of("tenants.digestsInConfig", true)))
                .as("the chart's own tenants.yaml holds the public demo key")
                .hasMessageContaining("public demo key");
    }

    @Test
    void deploymentProbesPortsEnvAndMountsAgreeWithTheGateway() throws Exception {
        Rendered r = template(fullValues());
        Deployment deployment = r.one(Deployment.class, FULLNAME);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getAdditionalProperties()).as("unknown pod spec keys").isEmpty();
        Container gateway = pod.getContainers().get(0);
        assertThat(gateway.getAdditionalProperties()).as("unknown container keys").isEmpty();

        ContainerPort http = gateway.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
        int port = http.getContainerPort();
        Map<String, EnvVar> env = gateway.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e, (a, b) -> {
            throw new AssertionError("env var set twice: " + a.getName());
        }, LinkedHashMap::new));
        assertThat(env.get("QUARKUS_HTTP_PORT").getValue()).isEqualTo(Integer.toString(port));

        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("/q/health/started", gateway.getStartupProbe());
        probes.put("/q/health/live", gateway.getLivenessProbe());
        probes.put("/q/health/ready", gateway.getReadinessProbe());
        assertThat(probes.keySet()).containsExactlyElementsOf(HEALTH_PATHS);
        probes.forEach((path, probe) -> {
            assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
            assertThat(resolve(probe.getHttpGet().getPort(), gateway)).as("probe port of " + path).isEqualTo(port);
        });

        Service service = r.one(Service.class, FULLNAME);
        assertThat(resolve(service.getSpec().getPorts().get(0).getTargetPort(), gateway)).isEqualTo(port);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        Deployment redis = r.one(Deployment.class, FULLNAME + "-redis");
        assertThat(redis.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(service.getSpec().getSelector().entrySet()))
                .as("the gateway Service must not select the bundled Redis").isFalse();

        // every ROUTER_* variable is a setting RouterSettings really reads (a typo would be ignored)
        for (String name : env.keySet()) {
            if (name.startsWith("ROUTER_")) {
                assertThat(routerSetting(name)).as(name + " names a router.* setting").isTrue();
            }
        }
        assertThat(env.keySet()).contains("QUARKUS_HTTP_PORT", "QUARKUS_REDIS_HOSTS", "ROUTER_CONFIG_DIR",
                "ROUTER_ADMIN_KEY", "ROUTER_MODELS_DIR", "OPENAI_API_KEY");
        assertThat(env.get("ROUTER_ADMIN_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("router-admin");
        assertThat(env.get("ROUTER_ADMIN_KEY").getValue()).isNull();
        assertThat(env.get("OPENAI_API_KEY").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("openai");
        assertThat(gateway.getEnvFrom()).extracting(e -> e.getSecretRef().getName())
                .containsExactly("tenant-keys", "llm-keys");

        // ROUTER_CONFIG_DIR is where the ConfigMap is mounted, and that ConfigMap holds config/
        String configDir = env.get("ROUTER_CONFIG_DIR").getValue();
        var mount = gateway.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(configDir)).findFirst().orElseThrow();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        ConfigMap config = r.one(ConfigMap.class, volume.getConfigMap().getName());
        for (String file : CONFIG_FILES) {
            assertThat(config.getData().get(file)).as(file).isEqualTo(Files.readString(Path.of("config", file)).stripTrailing());
        }

        // Redis: the bundled one, reached by its Service's name and port
        Service redisService = r.one(Service.class, FULLNAME + "-redis");
        assertThat(env.get("QUARKUS_REDIS_HOSTS").getValue())
                .isEqualTo("redis://" + redisService.getMetadata().getName() + ":" + redisService.getSpec().getPorts().get(0).getPort());
        assertThat(redis.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(redisService.getSpec().getSelector());

        // graceful shutdown: the kubelet waits longer than the gateway's drain and grace
        Properties app = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        long drain = seconds(app.getProperty("quarkus.shutdown.delay")) + seconds(app.getProperty("quarkus.shutdown.timeout"));
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(drain);

        // resources fitted to the measured RSS (367 MB at most, README Benchmarks)
        Map<String, Quantity> requests = gateway.getResources().getRequests();
        Map<String, Quantity> limits = gateway.getResources().getLimits();
        assertThat(Quantity.getAmountInBytes(requests.get("memory")).longValue()).isGreaterThan(367L * 1024 * 1024);
        assertThat(Quantity.getAmountInBytes(limits.get("memory"))).isGreaterThan(Quantity.getAmountInBytes(requests.get("memory")));
    }

    @Test
    void autoscalerDisruptionBudgetAndServiceMonitorTargetTheGateway() throws Exception {
        Rendered r = template(fullValues());
        Deployment deployment = r.one(Deployment.class, FULLNAME);
        assertThat(deployment.getSpec().getReplicas()).as("the HPA owns the replica count").isNull();

        HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class, FULLNAME);
        assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(FULLNAME);
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getName()).isEqualTo("cpu");

        PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, FULLNAME);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());

        GenericKubernetesResource monitor = r.one(GenericKubernetesResource.class, FULLNAME);
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        JsonNode spec = YAML.valueToTree(monitor.getAdditionalProperties().get("spec"));
        assertThat(spec.at("/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(spec.at("/endpoints/0/port").asText()).isEqualTo(r.one(Service.class, FULLNAME).getSpec().getPorts().get(0).getName());
        assertThat(YAML.convertValue(spec.get("selector").get("matchLabels"), Map.class))
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
    }

    @Test
    void dashboardConfigMapHoldsExactlyTheDashboardFileUnderTheSidecarLabel() throws Exception {
        Rendered r = template(fullValues());
        ConfigMap dashboard = r.one(ConfigMap.class, FULLNAME + "-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        String json = dashboard.getData().get("expert-router.json");
        assertThat(json).isEqualTo(Files.readString(DASHBOARD).stripTrailing());
        assertThat(new ObjectMapper().readTree(json)).isEqualTo(new ObjectMapper().readTree(DASHBOARD.toFile()));

        Map<String, Object> custom = fullValues();
        custom.put("dashboard.sidecarLabel", "my_dashboards");
        custom.put("dashboard.sidecarLabelValue", "yes");
        custom.put("dashboard.namespace", "monitoring");
        ConfigMap relabelled = template(custom).one(ConfigMap.class, FULLNAME + "-dashboard");
        assertThat(relabelled.getMetadata().getLabels()).containsEntry("my_dashboards", "yes").doesNotContainKey("grafana_dashboard");
        assertThat(relabelled.getMetadata().getNamespace()).isEqualTo("monitoring");
    }

    @Test
    void ownConfigMapModelsVolumeAndExternalRedisReplaceTheDefaults() throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("tenants.digestsInConfig", true);
        values.put("config.existingConfigMap", "my-router-config");
        values.put("redis.url", "redis://redis-master.redis:6379");
        values.put("models.volume.persistentVolumeClaim.claimName", "router-models");
        values.put("models.version", "v3");
        Rendered r = template(values);
        assertThat(r.objects).noneMatch(o -> o instanceof ConfigMap c && c.getData().containsKey("experts.yaml"));
        assertThat(r.objects).noneMatch(o -> o.getMetadata().getName().endsWith("-redis"));
        Deployment deployment = r.one(Deployment.class, FULLNAME);
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container gateway = pod.getContainers().get(0);
        Map<String, String> env = gateway.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("QUARKUS_REDIS_HOSTS", "redis://redis-master.redis:6379")
                .containsEntry("ROUTER_MODELS_DIR", "/models").containsEntry("ROUTER_MODEL_VERSION", "v3");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getConfigMap() != null)
                .singleElement().satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("my-router-config"));
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .singleElement().satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("router-models"));
        assertThat(gateway.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/models");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(gateway.getEnv()).noneMatch(e -> e.getName().equals("ROUTER_ADMIN_KEY"));
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(r.objects).noneMatch(o -> o instanceof HorizontalPodAutoscaler);
        assertThat(r.objects).noneMatch(o -> o instanceof GenericKubernetesResource);
    }

    // ---- rendering and parsing

    static Map<String, Object> fullValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("tenants.keysSecret", "tenant-keys");
        v.put("experts.keysSecret", "llm-keys");
        v.put("experts.keys[0].env", "OPENAI_API_KEY");
        v.put("experts.keys[0].secret", "llm-keys");
        v.put("experts.keys[0].key", "openai");
        v.put("admin.existingSecret", "router-admin");
        v.put("redis.enabled", true);
        v.put("metrics.serviceMonitor.enabled", true);
        v.put("metrics.serviceMonitor.labels.release", "prom");
        v.put("autoscaling.enabled", true);
        return v;
    }

    static Rendered template(Map<String, Object> values) throws IOException {
        TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace("routing");
        values.forEach(command::set);
        return Rendered.parse(command.call());
    }

    record Rendered(List<HasMetadata> objects) {

        static Rendered parse(String manifests) throws IOException {
            List<HasMetadata> objects = new ArrayList<>();
            try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(manifests)) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc == null || doc.isNull() || doc.isEmpty()) {
                        continue;
                    }
                    Class<? extends HasMetadata> type = switch (doc.get("kind").asText()) {
                        case "Deployment" -> Deployment.class;
                        case "Service" -> Service.class;
                        case "ConfigMap" -> ConfigMap.class;
                        case "HorizontalPodAutoscaler" -> HorizontalPodAutoscaler.class;
                        case "PodDisruptionBudget" -> PodDisruptionBudget.class;
                        default -> GenericKubernetesResource.class;
                    };
                    objects.add(YAML.treeToValue(doc, type));
                }
            }
            return new Rendered(objects);
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> found = objects.stream().filter(type::isInstance).map(type::cast)
                    .filter(o -> o.getMetadata().getName().equals(name)).toList();
            assertThat(found).as("%s %s in %s", type.getSimpleName(), name,
                    objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()).hasSize(1);
            return found.get(0);
        }
    }

    static Path copyChart(Path tmp) throws IOException {
        Path target = tmp.resolve("expert-router");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(CHART.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }

    /** A named or numbered port, as the container declares it. */
    static int resolve(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()))
                .getContainerPort();
    }

    /** ROUTER_CONFIG_DIR -> router.config-dir -> RouterSettings.configDir(). */
    static boolean routerSetting(String envName) {
        String[] words = envName.substring("ROUTER_".length()).toLowerCase().split("_");
        StringBuilder method = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            method.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return Arrays.stream(RouterSettings.class.getMethods()).map(Method::getName).anyMatch(method.toString()::equals);
    }

    static long seconds(String quarkusDuration) {
        return Duration.parse("PT" + quarkusDuration.toUpperCase()).toSeconds();
    }
}
