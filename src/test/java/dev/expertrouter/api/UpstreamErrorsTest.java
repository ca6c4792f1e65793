package dev.expertrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.experts.ExpertCallException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How an expert's failure reads to the client once fallbacks are exhausted. */
class UpstreamErrorsTest {

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRefusedGatewayKeyIsTheOperatorsProblemA502NamingTheExpert(int status) {
        ApiException e = UpstreamErrors.toApi(new ExpertCallException("med-expert", status, ExpertCallException.ERROR_STATUS,
                "Incorrect API key provided: sk-upstream-secret", Optional.empty()));
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.type()).isEqualTo("upstream_error");
        assertThat(e.code()).isEqualTo("upstream_error");
        assertThat(e.getMessage()).contains("med-expert").doesNotContain("sk-upstream-secret");
    }

    @Test
    void theExpertsVerdictOnTheRequestKeepsItsStatus() {
        ApiException e = UpstreamErrors.toApi(new ExpertCallException("x", 422, ExpertCallException.ERROR_STATUS,
                "bad tool schema", Optional.empty()));
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.type()).isEqualTo("invalid_request_error");
    }
}
