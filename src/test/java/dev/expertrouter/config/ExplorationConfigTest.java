package dev.expertrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplorationConfigTest {

    @TempDir
    Path dir;

    RouterConfig load(String exploration) throws IOException {
        Files.writeString(dir.resolve("experts.yaml"), PolicyConfigLoadingTest.EXPERTS);
        Files.writeString(dir.resolve("tenants.yaml"), PolicyConfigLoadingTest.TENANTS);
        Files.writeString(dir.resolve("policies.yaml"), "policies:\n  - name: p\n" + exploration);
        return new ConfigLoader(name -> null).load(dir);
    }

    @Test
    void explorationIsOffByDefaultAndParsedWhenGiven() throws IOException {
        assertThat(load("").policies().get(0).exploration()).isEqualTo(PolicyConfig.Exploration.NONE);
        assertThat(load("    exploration: {share: 0.02, max-extra-cost-ratio: 3.0}\n").policies().get(0).exploration())
                .isEqualTo(new PolicyConfig.Exploration(0.02, 3.0));
        assertThat(load("    exploration: {share: 0.1}\n").policies().get(0).exploration().maxExtraCostRatio())
                .isEqualTo(3.0);
    }

    @Test
    void badExplorationValuesAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> load("    exploration: {share: 0.7}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("exploration.share");
        assertThatThrownBy(() -> load("    exploration: {share: -0.1}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("share");
        assertThatThrownBy(() -> load("    exploration: {share: 0.02, max-extra-cost-ratio: 0.5}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max-extra-cost-ratio");
        assertThatThrownBy(() -> load("    exploration: {share: 0.02, rate: 1}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rate");
    }
}
