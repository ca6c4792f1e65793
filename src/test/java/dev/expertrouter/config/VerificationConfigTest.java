package dev.expertrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy's {@code verify} block: off by default, and a draft the policy could never ask is refused at load. */
class VerificationConfigTest {

    @TempDir
    Path dir;

    RouterConfig load(String policyKeys) throws IOException {
        Files.writeString(dir.resolve("experts.yaml"), PolicyConfigLoadingTest.EXPERTS);
        Files.writeString(dir.resolve("tenants.yaml"), PolicyConfigLoadingTest.TENANTS);
        Files.writeString(dir.resolve("policies.yaml"), "policies:\n  - name: p\n" + policyKeys);
        return new ConfigLoader(name -> null).load(dir);
    }

    @Test
    void verificationIsOffByDefaultAndParsedWhenGiven() throws IOException {
        assertThat(load("").policies().get(0).verification().enabled()).isFalse();
        assertThat(load("    verify: {draft: small, threshold: 0.62}\n").policies().get(0).verification())
                .isEqualTo(new PolicyConfig.Verification("small", 0.62));
        assertThat(load("    verify: {draft: small}\n").policies().get(0).verification().threshold()).isEqualTo(0.5);
    }

    @Test
    void aDraftThePolicyCannotAskIsRefused() {
        assertThatThrownBy(() -> load("    verify: {draft: nobody}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("draft").hasMessageContaining("nobody");
        assertThatThrownBy(() -> load("    denied-experts: [small]\n    verify: {draft: small}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not one this policy may route to");
        assertThatThrownBy(() -> load("    allowed-experts: [big]\n    verify: {draft: small}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not one this policy may route to");
        assertThatThrownBy(() -> load("    verify: {threshold: 0.5}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("draft");
    }

    @Test
    void badThresholdsAndUnknownKeysAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> load("    verify: {draft: small, threshold: 1.0}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> load("    verify: {draft: small, threshold: 0}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> load("    verify: {draft: small, escalate-to: big}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("escalate-to");
    }
}
