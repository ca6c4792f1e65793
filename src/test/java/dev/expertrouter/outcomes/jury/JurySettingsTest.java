package dev.expertrouter.outcomes.jury;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.config.RouterSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code router.jury.*} is refused at start-up when the gateway could not honour it. */
class JurySettingsTest {

    static final List<String> EXPERTS = List.of("small", "mid", "big");

    record Jury(Optional<List<String>> judges, double sampleShare, double maxSpendShare, int queueSize,
            Duration judgeTimeout) implements RouterSettings.Jury {
    }

    static Jury on(List<String> judges) {
        return new Jury(Optional.of(judges), 0.1, 0.05, 64, Duration.ofSeconds(30));
    }

    @Test
    void offByDefaultAndOnWithKnownJudges() {
        assertThat(JuryService.checked(new Jury(Optional.empty(), 0, 0.05, 64, Duration.ofSeconds(30)), EXPERTS)).isEmpty();
        assertThat(JuryService.checked(on(List.of("small", "mid")), EXPERTS)).containsExactly("small", "mid");
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> JuryService.checked(on(List.of("small", "gpt-9")), EXPERTS))
                .hasMessageContaining("router.jury.judges").hasMessageContaining("gpt-9");
        assertThatThrownBy(() -> JuryService.checked(new Jury(Optional.empty(), 0.2, 0.05, 64, Duration.ofSeconds(1)), EXPERTS))
                .hasMessageContaining("router.jury.judges");
        assertThatThrownBy(() -> JuryService.checked(new Jury(Optional.of(List.of("small")), 1.5, 0.05, 64, Duration.ofSeconds(1)), EXPERTS))
                .hasMessageContaining("router.jury.sample-share");
        assertThatThrownBy(() -> JuryService.checked(new Jury(Optional.of(List.of("small")), 0.1, 0, 64, Duration.ofSeconds(1)), EXPERTS))
                .hasMessageContaining("router.jury.max-spend-share");
        assertThatThrownBy(() -> JuryService.checked(new Jury(Optional.of(List.of("small")), 0.1, 0.05, 0, Duration.ofSeconds(1)), EXPERTS))
                .hasMessageContaining("router.jury.queue-size");
        assertThatThrownBy(() -> JuryService.checked(new Jury(Optional.of(List.of("small")), 0.1, 0.05, 8, Duration.ZERO), EXPERTS))
                .hasMessageContaining("router.jury.judge-timeout");
    }
}
