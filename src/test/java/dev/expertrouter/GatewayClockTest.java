package dev.expertrouter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.testing.MovableGatewayClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class GatewayClockTest {

    @Test
    void theJavaTimeViewMovesWithTheGatewayClock() {
        MovableGatewayClock gateway = new MovableGatewayClock(Instant.parse("2026-12-05T10:00:00Z"));
        Clock clock = gateway.asClock();
        assertThat(clock.instant()).isEqualTo(gateway.now);
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);

        gateway.now = gateway.now.plus(Duration.ofMinutes(90));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-05T11:30:00Z"));
        assertThat(clock.millis()).isEqualTo(gateway.now.toEpochMilli());

        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        gateway.now = gateway.now.plusSeconds(1);
        assertThat(paris.instant()).isEqualTo(gateway.now);
    }
}
