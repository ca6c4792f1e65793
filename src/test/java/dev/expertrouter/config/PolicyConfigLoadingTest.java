package dev.expertrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyConfigLoadingTest {

    static final String EXPERTS = """
            experts:
              - id: big
                simulated: {}
                quality: {general: 0.9, medical: 0.85}
              - id: small
                simulated: {}
                quality: {general: 0.6, astrology: 0.4}
            """;
    static final String TENANTS = """
            tenants:
              - name: demo
                api-key-sha256: 536358db99f32f74c819f261b16d778ab5f05118e8548f4bb21c0a53991aee35
            """;

    @TempDir
    Path dir;

    RouterConfig load(String policies) throws IOException {
        Files.writeString(dir.resolve("experts.yaml"), EXPERTS);
        Files.writeString(dir.resolve("tenants.yaml"), TENANTS);
        Files.writeString(dir.resolve("policies.yaml"), policies);
        return new ConfigLoader(name -> null).load(dir);
    }

    @Test
    void theShippedConfigLoads() {
        RouterConfig config = new ConfigLoader(name -> null).load(Path.of("config"));

        assertThat(config.defaultPolicy()).isEqualTo("balanced");
        assertThat(config.policies()).extracting(PolicyConfig::name)
                .contains("balanced", "quality-first", "cost-saver", "low-latency");
        PolicyConfig balanced = config.policy("balanced").orElseThrow();
        assertThat(balanced.riskTiers()).extracting(t -> t.domains().get(0)).containsExactly("medical", "finance", "legal");
        assertThat(balanced.referenceExpert()).hasValue("big-generalist");
    }

    @Test
    void aPolicyWithOnlyANameTakesEveryDefault() throws IOException {
        PolicyConfig p = load("policies:\n  - name: plain\n").policies().get(0);

        assertThat(p).isEqualTo(new PolicyConfig("plain", java.util.Optional.empty()));
        assertThat(p.weights()).isEqualTo(PolicyConfig.Weights.DEFAULT);
        assertThat(p.escalation().confidenceThreshold()).isEqualTo(0.5);
    }

    @Test
    void everyKeyIsRead() throws IOException {
        PolicyConfig p = load("""
                policies:
                  - name: full
                    default-expert: big
                    reference-expert: big
                    weights: {quality: 2, cost: 0.3, latency: 0.1}
                    limits: {max-cost-usd: 0.02, max-latency-ms: 900, min-quality: 0.5}
                    allowed-experts: [big, small]
                    denied-experts: []
                    escalation: {confidence-threshold: 0.4, mode: expert, expert: big}
                    risk-tiers:
                      - {domains: [medical, astrology], min-probability: 0.2, min-quality: 0.8, allowed-experts: [big]}
                """).policies().get(0);

        assertThat(p.weights()).isEqualTo(new PolicyConfig.Weights(2, 0.3, 0.1));
        assertThat(p.limits().maxCostUsd().getAsDouble()).isEqualTo(0.02);
        assertThat(p.limits().maxLatencyMs().getAsLong()).isEqualTo(900);
        assertThat(p.limits().minQuality()).isEqualTo(0.5);
        assertThat(p.allowedExperts()).containsExactly("big", "small");
        assertThat(p.escalation()).isEqualTo(new PolicyConfig.Escalation(0.4, PolicyConfig.EscalationMode.EXPERT,
                java.util.Optional.of("big"), 2));
        assertThat(p.riskTiers()).containsExactly(new PolicyConfig.RiskTier(List.of("medical", "astrology"), 0.2, 0.8,
                List.of("big")));
    }

    @Test
    void badPoliciesFailWithFileAndKey() {
        Map<String, String> cases = Map.of(
                "policies:\n  - name: p\n    allowed-experts: [big, nobody]\n",
                "policies.yaml: policies[0].allowed-experts: unknown expert 'nobody'",
                "policies:\n  - name: p\n    denied-experts: [ghost]\n",
                "policies.yaml: policies[0].denied-experts: unknown expert 'ghost'",
                "policies:\n  - name: p\n    reference-expert: ghost\n",
                "policies.yaml: policies[0].reference-expert: unknown expert 'ghost'",
                "policies:\n  - name: p\n    risk-tiers:\n      - {domains: [medicine], min-quality: 0.8}\n",
                "policies.yaml: policies[0].risk-tiers[0].domains: unknown domain 'medicine'",
                "policies:\n  - name: p\n    risk-tiers:\n      - {domains: [legal], allowed-experts: [ghost]}\n",
                "policies.yaml: policies[0].risk-tiers[0].allowed-experts: unknown expert 'ghost'",
                "policies:\n  - name: p\n    escalation: {mode: panic}\n",
                "policies.yaml: policies[0].escalation.mode: unknown mode 'panic'",
                "policies:\n  - name: p\n    escalation: {mode: expert, expert: ghost}\n",
                "policies.yaml: policies[0].escalation.expert: unknown expert 'ghost'",
                "policies:\n  - name: p\n    weights: {quality: 1, cost: -1}\n",
                "policies.yaml: policies[0].weights.cost: must be between",
                "policies:\n  - name: p\n    limits: {max-cost: 1}\n",
                "policies.yaml: policies[0].limits.max-cost: unknown key",
                "policies:\n  - name: p\n    allowed-experts: [big]\n    denied-experts: [big]\n",
                "policies.yaml: policies[0].denied-experts: expert 'big' is both allowed and denied");
        cases.forEach((yaml, message) -> assertThatThrownBy(() -> load(yaml))
                .as(yaml).isInstanceOf(ConfigException.class).hasMessageContaining(message));
    }

    @Test
    void aRiskTierMustDoSomething() {
        assertThatThrownBy(() -> load("policies:\n  - name: p\n    risk-tiers:\n      - {domains: [legal]}\n"))
                .hasMessageContaining("policies[0].risk-tiers[0].min-quality: a risk tier needs min-quality or allowed-experts");
    }

    @Test
    void domainsFromExpertsQualityMapsAreAccepted() throws IOException {
        PolicyConfig p = load("policies:\n  - name: p\n    risk-tiers:\n      - {domains: [astrology, finance], min-quality: 0.5}\n")
                .policies().get(0);

        assertThat(p.riskTiers().get(0).domains()).containsExactly("astrology", "finance");
    }
}
