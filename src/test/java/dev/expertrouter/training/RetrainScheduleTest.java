package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.testing.MovableGatewayClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetrainScheduleTest {

    @Test
    void retrainsOncePerIntervalAsTheClockMoves() {
        MovableGatewayClock clock = new MovableGatewayClock(Instant.parse("2026-12-02T00:00:00Z"));
        AtomicInteger runs = new AtomicInteger();
        RetrainSchedule schedule = new RetrainSchedule(Duration.ofHours(24), clock, runs::incrementAndGet);

        assertThat(schedule.tick()).isFalse();
        clock.now = clock.now.plus(Duration.ofHours(23));
        assertThat(schedule.tick()).isFalse();
        clock.now = clock.now.plus(Duration.ofHours(1));
        assertThat(schedule.tick()).isTrue();
        assertThat(schedule.tick()).isFalse();
        assertThat(runs).hasValue(1);
        clock.now = clock.now.plus(Duration.ofHours(30));
        assertThat(schedule.tick()).isTrue();
        assertThat(schedule.next()).isEqualTo(clock.now.plus(Duration.ofHours(24)));
        assertThat(runs).hasValue(2);
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        assertThatThrownBy(() -> new RetrainSchedule(Duration.ZERO, new MovableGatewayClock(Instant.parse("2026-12-02T00:00:00Z")), () -> { }))
                .hasMessageContaining("router.retrain.schedule");
    }
}
