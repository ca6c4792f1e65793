package dev.expertrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code fault-tolerance:} block and the simulated fault knobs of experts.yaml. */
class FaultToleranceConfigLoaderTest {

    @TempDir
    Path dir;

    private RouterConfig load(String experts) throws IOException {
        Files.writeString(dir.resolve("experts.yaml"), experts);
        Files.writeString(dir.resolve("policies.yaml"), "policies:\n  - name: balanced\n");
        Files.writeString(dir.resolve("tenants.yaml"), "tenants:\n  - name: t\n    api-key-sha256: " + "a".repeat(64) + "\n");
        return new ConfigLoader(name -> null).load(dir);
    }

    @Test
    void expertsWithoutTheBlocksGetTheDefaults() throws IOException {
        ExpertConfig e = load("experts:\n  - id: a\n    simulated: {latency-ms: 5}\n").experts().get(0);

        assertThat(e.faultTolerance()).isEqualTo(FaultToleranceConfig.DEFAULTS);
        SimulatedConfig s = e.simulated().orElseThrow();
        assertThat(s.errorStatus()).isEqualTo(503);
        assertThat(s.retryAfterSeconds()).isEqualTo(1);
        assertThat(s.hangRate() + s.resetRate() + s.malformedRate() + s.dropRate() + s.latencySpikeRate()).isZero();
    }

    @Test
    void readsEveryKey() throws IOException {
        ExpertConfig e = load("""
                experts:
                  - id: a
                    max-concurrency: 3
                    simulated: {error-rate: 0.2, error-status: 429, retry-after-seconds: 2, latency-spike-rate: 0.1,
                                latency-spike-ms: 900, hang-rate: 0.01, reset-rate: 0.02, malformed-rate: 0.03,
                                drop-rate: 0.04, drop-after-chunks: 5}
                    fault-tolerance:
                      retries: 4
                      backoff-ms: 20
                      jitter-ms: 7
                      circuit-breaker: {failure-ratio: 0.6, request-volume: 10, delay-ms: 1500, success-threshold: 3}
                      bulkhead: {queue-size: 12}
                """).experts().get(0);

        assertThat(e.faultTolerance()).isEqualTo(new FaultToleranceConfig(4, 20, 7, 0.6, 10, 1500, 3, 12));
        assertThat(e.maxConcurrency()).isEqualTo(3);
        assertThat(e.simulated().orElseThrow()).isEqualTo(new SimulatedConfig(50, 0, 0.2, 64, 400, 429, 2, 0.1, 900, 0.01, 0.02, 0.03, 0.04, 5));
    }

    @Test
    void aTypoIsRefusedWithTheFileAndTheKey() {
        assertThatThrownBy(() -> load("experts:\n  - id: a\n    simulated: {}\n    fault-tolerance: {circuit-breaker: {delay: 5}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("experts.yaml")
                .hasMessageContaining("delay");
        assertThatThrownBy(() -> load("experts:\n  - id: a\n    simulated: {error-status: 200}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("error-status");
    }
}
