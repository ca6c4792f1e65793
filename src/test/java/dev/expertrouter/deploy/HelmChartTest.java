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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
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
    /** SHA-256 of the public demo key sk-router-demo, the only key of the shipped tenants.yaml. */
    static final String DEMO_KEY_SHA256 = "536358db99f32f74c819f261b16d778ab5f05118e8548f4bb21c0a53991aee35";

    private static final Logger LOG = Logger.getLogger(HelmChartTest.class);
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Test
    void chartCopyOfTheConfigIsTheShippedConfig() throws IOException {
        for (String file : CONFIG_FILES) {
            assertThat(Files.readString(CHART.resolve("config").resolve(file)))
                    .as("helm/expert-router/config/%s must equal config/%s (copy it over)", file, file)
                    .isEqualTo(Files.readString(Path.of("config", file)));
        }
        LOG.infof("chart config: %s equal to config/", CONFIG_FILES);
    }

    @Test
    void lintPassesStrictOnceTenantKeysHaveASource(@TempDir Path tmp) throws IOException {
        Path chart = copyChart(tmp);
        Files.writeString(chart.resolve("values.yaml"), Files.readString(chart.resolve("values.yaml"))
                .replace("keysSecret: \"\"\n  # -- Set to true", "keysSecret: tenant-keys\n  # -- Set to true")
                .replace("allowDemoKey: false", "allowDemoKey: true"));
        LintResult lint = new Helm(chart).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        LOG.infof("helm lint --strict with a tenant key source: passed, %d message(s), none an error or warning: %s",
                lint.getMessages().size(), lint.getMessages());
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
        LOG.infof("helm lint --strict of the shipped values: passed, %d message(s), none an error or warning",
                lint.getMessages().size());
    }

    @Test
    void renderingWithoutATenantKeySourceFailsWithTheChartsMessage() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName(RELEASE).call())
                .hasMessageContaining("expert-router: no tenant key source")
                .hasMessageContaining("tenants.keysSecret");
        assertThatThrownBy(() -> template(Map.of("tenants.digestsInConfig", true)))
                .as("the chart's own tenants.yaml holds the public demo key")
                .hasMessageContaining("public demo key");
        LOG.info("helm template refused: no tenant key source; digestsInConfig with the chart's demo tenants.yaml");
    }

    /** A tenant key Secret beside the chart's own tenants.yaml would still serve the public demo key. */
    @Test
    void aKeySecretWithTheChartsOwnConfigIsRefusedUnlessTheDemoKeyIsAllowed() throws Exception {
        assertThatThrownBy(() -> template(Map.of("tenants.keysSecret", "tenant-keys")))
                .hasMessageContaining("public demo key")
                .hasMessageContaining("config.existingConfigMap")
                .hasMessageContaining("tenants.allowDemoKey");

        Rendered own = template(Map.of("tenants.keysSecret", "tenant-keys", "config.existingConfigMap", "my-router-config"));
        assertThat(own.objects).noneMatch(o -> o instanceof ConfigMap c && c.getData().containsKey("tenants.yaml"));

        Rendered demo = template(Map.of("tenants.allowDemoKey", true));
        assertThat(demo.one(ConfigMap.class, FULLNAME + "-config").getData().get("tenants.yaml"))
                .contains("name: demo").contains(DEMO_KEY_SHA256);
        LOG.info("helm template refused tenants.keysSecret beside the chart's demo tenants.yaml; rendered it with"
                + " config.existingConfigMap (no chart tenants.yaml) and with tenants.allowDemoKey=true (the demo tenant)");
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
                "ROUTER_ADMIN_KEY", "ROUTER_MODELS_DIR", "ROUTER_TENANCY_EXPECTED_REPLICAS", "OPENAI_API_KEY");
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
        LOG.infof("helm template: %d objects %s; Deployment probes %s on port %d = Service targetPort; %d env vars,"
                        + " ROUTER_* all RouterSettings keys %s; config mounted at %s holds config/; Redis URL %s;"
                        + " grace %ds > drain %ds; memory request %s > 367 MB RSS",
                r.objects.size(), r.kinds(), probes.keySet(), port, env.size(),
                env.keySet().stream().filter(n -> n.startsWith("ROUTER_")).toList(), configDir,
                env.get("QUARKUS_REDIS_HOSTS").getValue(), pod.getTerminationGracePeriodSeconds(), drain, requests.get("memory"));
    }

    @Test
    void autoscalerDisruptionBudgetAndServiceMonitorTargetTheGateway() throws Exception {
        Rendered r = template(fullValues());
        Deployment deployment = r.one(Deployment.class, FULLNAME);
        assertThat(deployment.getSpec().getReplicas()).as("the HPA owns the replica count").isNull();

        HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class, FULLNAME);
        assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2");
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(5);
        // the Redis-away fallback is sized for the most pods the HPA may run (values.yaml, maxReplicas)
        assertThat(env(deployment)).containsEntry("ROUTER_TENANCY_EXPECTED_REPLICAS", "5");
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
        LOG.infof("helm template: HPA autoscaling/v2 on cpu, %d-%d pods, targets Deployment %s (replicas unset,"
                        + " ROUTER_TENANCY_EXPECTED_REPLICAS=%d); PDB minAvailable %s selects its pods;"
                        + " ServiceMonitor scrapes /q/metrics on port %s",
                hpa.getSpec().getMinReplicas(), hpa.getSpec().getMaxReplicas(), FULLNAME, hpa.getSpec().getMaxReplicas(),
                pdb.getSpec().getMinAvailable().getIntVal(), spec.at("/endpoints/0/port").asText());
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
        LOG.infof("helm template: dashboard ConfigMap labelled grafana_dashboard=1 holds %s byte for byte (%d chars);"
                + " sidecar label and namespace follow the values", DASHBOARD, json.length());
    }

    @Test
    void ownConfigMapModelsVolumeAndExternalRedisReplaceTheDefaults() throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("tenants.digestsInConfig", true);
        values.put("config.existingConfigMap", "my-router-config");
        values.put("redis.url", "redis://redis-master.redis:6379");
        values.put("models.volume.persistentVolumeClaim.claimName", "router-models");
        values.put("models.version", "v3");
        values.put("replicaCount", 3);
        Rendered r = template(values);
        assertThat(r.objects).noneMatch(o -> o instanceof ConfigMap c && c.getData().containsKey("experts.yaml"));
        assertThat(r.objects).noneMatch(o -> o.getMetadata().getName().endsWith("-redis"));
        Deployment deployment = r.one(Deployment.class, FULLNAME);
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container gateway = pod.getContainers().get(0);
        Map<String, String> env = gateway.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("QUARKUS_REDIS_HOSTS", "redis://redis-master.redis:6379")
                .containsEntry("ROUTER_MODELS_DIR", "/models").containsEntry("ROUTER_MODEL_VERSION", "v3")
                .containsEntry("ROUTER_TENANCY_EXPECTED_REPLICAS", "3");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getConfigMap() != null)
                .singleElement().satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("my-router-config"));
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .singleElement().satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("router-models"));
        assertThat(gateway.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/models");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(gateway.getEnv()).noneMatch(e -> e.getName().equals("ROUTER_ADMIN_KEY"));
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(r.objects).noneMatch(o -> o instanceof HorizontalPodAutoscaler);
        assertThat(r.objects).noneMatch(o -> o instanceof GenericKubernetesResource);
        LOG.infof("helm template with config.existingConfigMap, redis.url, a models volume: %d objects %s, no chart"
                + " config or Redis; 3 replicas with ROUTER_TENANCY_EXPECTED_REPLICAS=3; models from /models", r.objects.size(), r.kinds());
    }

    /** The env-name check below must tell a real nested setting from a near miss. */
    @Test
    void envNamesAreMatchedAgainstRouterSettingsThroughNestedGroups() {
        assertThat(routerSetting("ROUTER_CONFIG_DIR")).isTrue();
        assertThat(routerSetting("ROUTER_TENANCY_EXPECTED_REPLICAS")).isTrue();
        assertThat(routerSetting("ROUTER_TENANCY_REDIS_TIMEOUT")).isTrue();
        assertThat(routerSetting("ROUTER_OUTCOMES_STREAM_MAX_LEN")).isTrue();
        assertThat(routerSetting("ROUTER_TENANCY_EXPECTED_REPLICA")).isFalse();
        assertThat(routerSetting("ROUTER_EXPECTED_REPLICAS")).isFalse();
        assertThat(routerSetting("ROUTER_TENANCY")).as("a group is not a setting").isFalse();
        assertThat(routerSetting("ROUTER_CONFIG_DIR_X")).isFalse();
        LOG.info("env names: nested RouterSettings groups resolve (router.tenancy.expected-replicas), near misses do not");
    }

    // ---- rendering and parsing

    static Map<String, Object> fullValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("tenants.keysSecret", "tenant-keys");
        v.put("tenants.allowDemoKey", true); // the ConfigMap check below compares the chart's copy of config/
        v.put("experts.keysSecret", "llm-keys");
        v.put("experts.keys[0].env", "OPENAI_API_KEY");
        v.put("experts.keys[0].secret", "llm-keys");
        v.put("experts.keys[0].key", "openai");
        v.put("admin.existingSecret", "router-admin");
        v.put("redis.enabled", true);
        v.put("metrics.serviceMonitor.enabled", true);
        v.put("metrics.serviceMonitor.labels.release", "prom");
        v.put("autoscaling.enabled", true);
        v.put("autoscaling.maxReplicas", 5);
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

        /** How many objects of each kind, e.g. {Deployment=2, Service=2, ...}. */
        Map<String, Long> kinds() {
            return objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, java.util.TreeMap::new, Collectors.counting()));
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

    /** The gateway container's plain (non-secret) env values. */
    static Map<String, String> env(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    /**
     * ROUTER_CONFIG_DIR -> router.config-dir -> RouterSettings.configDir(); ROUTER_TENANCY_EXPECTED_REPLICAS
     * -> router.tenancy.expected-replicas -> tenancy().expectedReplicas(). An env name's underscores
     * stand for both dots and dashes, so every split of its words into a group path and a setting is tried.
     */
    static boolean routerSetting(String envName) {
        return setting(RouterSettings.class, List.of(envName.substring("ROUTER_".length()).toLowerCase().split("_")));
    }

    private static boolean setting(Class<?> group, List<String> words) {
        for (int i = 1; i <= words.size(); i++) {
            String name = camel(words.subList(0, i));
            for (Method m : group.getMethods()) {
                if (!m.getName().equals(name) || m.getParameterCount() > 0) {
                    continue;
                }
                boolean isGroup = m.getReturnType().isInterface() && m.getReturnType().getPackageName().startsWith("dev.expertrouter");
                if (i == words.size() ? !isGroup : isGroup && setting(m.getReturnType(), words.subList(i, words.size()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String camel(List<String> words) {
        StringBuilder method = new StringBuilder(words.get(0));
        for (String w : words.subList(1, words.size())) {
            method.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        }
        return method.toString();
    }

    static long seconds(String quarkusDuration) {
        return Duration.parse("PT" + quarkusDuration.toUpperCase()).toSeconds();
    }
}
