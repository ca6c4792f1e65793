package dev.expertrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code affinity} block of a policy: defaults, every key, and refusals naming file and key. */
class AffinityConfigLoadingTest {

    @TempDir
    Path dir;

    PolicyConfig load(String policy) throws IOException {
        Files.writeString(dir.resolve("experts.yaml"), PolicyConfigLoadingTest.EXPERTS);
        Files.writeString(dir.resolve("tenants.yaml"), PolicyConfigLoadingTest.TENANTS);
        Files.writeString(dir.resolve("policies.yaml"), "policies:\n  - name: p\n" + policy);
        return new ConfigLoader(name -> null).load(dir).policies().get(0);
    }

    @Test
    void withoutTheBlockAffinityIsOff() throws IOException {
        assertThat(load("").affinity()).isEqualTo(PolicyConfig.Affinity.OFF);
        assertThat(PolicyConfig.Affinity.OFF.enabled()).isFalse();
    }

    @Test
    void anEmptyBlockTurnsItOnWithTheDefaults() throws IOException {
        PolicyConfig.Affinity a = load("    affinity: {}\n").affinity();

        assertThat(a).isEqualTo(new PolicyConfig.Affinity(true, 0.85, Duration.ofMinutes(30)));
    }

    @Test
    void everyKeyIsRead() throws IOException {
        assertThat(load("    affinity: {enabled: true, switch-confidence: 0.7, ttl: 2h}\n").affinity())
                .isEqualTo(new PolicyConfig.Affinity(true, 0.7, Duration.ofHours(2)));
        assertThat(load("    affinity: {enabled: false, ttl: 90s}\n").affinity())
                .isEqualTo(new PolicyConfig.Affinity(false, 0.85, Duration.ofSeconds(90)));
        assertThat(load("    affinity: {ttl: 1d}\n").affinity().ttl()).isEqualTo(Duration.ofDays(1));
        assertThat(load("    affinity: {topic-check: alone}\n").affinity().topicCheck())
                .isEqualTo(PolicyConfig.Affinity.TopicCheck.ALONE);
        assertThat(load("    affinity: {topic-check: context}\n").affinity().topicCheck())
                .isEqualTo(PolicyConfig.Affinity.TopicCheck.CONTEXT);
        assertThat(load("    affinity: {}\n").affinity().topicCheck()).isEqualTo(PolicyConfig.Affinity.TopicCheck.CONTEXT);
    }

    @Test
    void theShippedPoliciesKeepConversationsTogether() {
        RouterConfig config = new ConfigLoader(name -> null).load(Path.of("config"));

        assertThat(config.policies()).allSatisfy(p -> {
            assertThat(p.affinity().enabled()).as(p.name()).isTrue();
            assertThat(p.affinity().switchConfidence()).as(p.name()).isEqualTo(0.85);
            assertThat(p.affinity().topicCheck()).as(p.name()).isEqualTo(p.name().equals("quality-first")
                    ? PolicyConfig.Affinity.TopicCheck.ALONE : PolicyConfig.Affinity.TopicCheck.CONTEXT);
        });
    }

    @Test
    void badValuesAreRefusedNamingFileAndKey() {
        assertThatThrownBy(() -> load("    affinity: {switch-confidence: 1.5}\n"))
                .hasMessageContaining("policies.yaml").hasMessageContaining("affinity.switch-confidence")
                .hasMessageContaining("between 0.0 and 1.0");
        assertThatThrownBy(() -> load("    affinity: {ttl: 30 minutes}\n"))
                .hasMessageContaining("policies.yaml").hasMessageContaining("affinity.ttl")
                .hasMessageContaining("expected a duration");
        assertThatThrownBy(() -> load("    affinity: {ttl: 8d}\n"))
                .hasMessageContaining("affinity.ttl").hasMessageContaining("between 1s and 7d");
        assertThatThrownBy(() -> load("    affinity: {ttl: 0s}\n"))
                .hasMessageContaining("affinity.ttl").hasMessageContaining("between 1s and 7d");
        assertThatThrownBy(() -> load("    affinity: {topic-check: both}\n"))
                .hasMessageContaining("policies.yaml").hasMessageContaining("affinity.topic-check")
                .hasMessageContaining("expected context or alone, got 'both'");
        assertThatThrownBy(() -> load("    affinity: {enabled: yes please}\n"))
                .hasMessageContaining("affinity.enabled").hasMessageContaining("true or false");
        assertThatThrownBy(() -> load("    affinity: {sticky: true}\n"))
                .hasMessageContaining("affinity.sticky").hasMessageContaining("unknown key");
        assertThatThrownBy(() -> load("    affinity: true\n"))
                .hasMessageContaining("policies.yaml").hasMessageContaining("affinity");
    }
}
