package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.GatewayClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetrainScheduleTest {

    /** A clock the test moves. */
    static final class MovableClock implements GatewayClock {
        Instant now = Instant.parse("2026-12-02T00:00:00Z");

        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public Instant now() {
            return now;
        }
    }

    @Test
    void retrainsOncePerIntervalAsTheClockMoves() {
        MovableClock clock = new MovableClock();
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
        assertThatThrownBy(() -> new RetrainSchedule(Duration.ZERO, new MovableClock(), () -> { }))
                .hasMessageContaining("router.retrain.schedule");
    }
}
