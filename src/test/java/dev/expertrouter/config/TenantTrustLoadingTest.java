package dev.expertrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline retrain reads each tenant's trust from tenants.yaml alone: checked as the gateway
 * checks it, without resolving keys (their env vars are not set where the command runs).
 */
class TenantTrustLoadingTest {

    @TempDir
    Path dir;

    @Test
    void eachTenantsTrustWithTheDefaultOfOneAndNoKeyResolved() throws IOException {
        Files.writeString(dir.resolve("tenants.yaml"), """
                tenants:
                  - name: acme
                    api-key-env: NOT_SET_ANYWHERE_FOR_THIS_TEST
                  - name: eve
                    api-key-sha256: 536358db99f32f74c819f261b16d778ab5f05118e8548f4bb21c0a53991aee35
                    trust: 0
                  - name: half
                    api-keys: [{env: ALSO_NOT_SET}]
                    trust: 0.5
                    rate-limit: {requests-per-minute: 60}
                """);

        assertThat(ConfigLoader.tenantTrust(dir)).isEqualTo(Map.of("acme", 1.0, "eve", 0.0, "half", 0.5));
    }

    @Test
    void aTrustOutOfRangeAnUnknownKeyADuplicateOrNoFileIsRefusedNamingIt() throws IOException {
        Files.writeString(dir.resolve("tenants.yaml"), "tenants:\n  - name: acme\n    trust: 1.5\n");
        assertThatThrownBy(() -> ConfigLoader.tenantTrust(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tenants.yaml").hasMessageContaining("trust");
        Files.writeString(dir.resolve("tenants.yaml"), "tenants:\n  - name: acme\n    trsut: 0\n");
        assertThatThrownBy(() -> ConfigLoader.tenantTrust(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("trsut");
        Files.writeString(dir.resolve("tenants.yaml"), "tenants:\n  - name: acme\n  - name: acme\n");
        assertThatThrownBy(() -> ConfigLoader.tenantTrust(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("duplicate tenant 'acme'");
        assertThatThrownBy(() -> ConfigLoader.tenantTrust(dir.resolve("nowhere"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tenants.yaml: file not found");
    }
}
