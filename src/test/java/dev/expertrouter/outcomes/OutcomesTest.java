package dev.expertrouter.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The request path's exit for outcomes, without Quarkus: the sink first, then the listeners. */
class OutcomesTest {

    /** A sink that keeps what it is given, like the Redis sink's recent outcomes. */
    private static final class KeepingSink implements OutcomeSink {
        final List<OutcomeRecord> kept = new ArrayList<>();

        @Override
        public void record(OutcomeRecord outcome) {
            kept.add(outcome);
        }

        Optional<OutcomeStore.OutcomeIndex> find(String id) {
            return kept.stream().filter(o -> o.requestId().equals(id)).findFirst().map(OutcomeStore.OutcomeIndex::of);
        }
    }

    @Test
    void aLookupRacingTheMoveFromAwaitedToRecordedStillFindsTheOutcome() {
        KeepingSink sink = new KeepingSink();
        Outcomes outcomes = new Outcomes(sink, List.of());
        OutcomeRecord answered = OutcomeFixtures.outcome("race-1", "alpha");
        outcomes.awaiting(answered);

        // the recorded side is looked at, and only then does the record move there: the worst interleaving
        Optional<OutcomeStore.OutcomeIndex> found = outcomes.answeredHere("race-1", id -> {
            Optional<OutcomeStore.OutcomeIndex> before = sink.find(id);
            outcomes.record(answered);
            return before;
        });

        assertThat(found).contains(OutcomeStore.OutcomeIndex.of(answered));
    }

    @Test
    void aRecordedOutcomeIsFoundWhereItWentAndNoLongerAwaited() {
        KeepingSink sink = new KeepingSink();
        Outcomes outcomes = new Outcomes(sink, List.of());
        OutcomeRecord answered = OutcomeFixtures.outcome("done-1", "alpha");
        outcomes.awaiting(answered);
        outcomes.record(answered);

        assertThat(outcomes.awaiting("done-1")).isEmpty();
        assertThat(outcomes.answeredHere("done-1", sink::find)).contains(OutcomeStore.OutcomeIndex.of(answered));
        assertThat(outcomes.answeredHere("never", sink::find)).isEmpty();
    }

    @Test
    void aListenerThatThrowsNeitherLosesTheRecordNorStopsTheOthers() {
        KeepingSink sink = new KeepingSink();
        List<String> heard = new ArrayList<>();
        Outcomes outcomes = new Outcomes(sink, List.of(o -> {
            throw new IllegalStateException("broken listener");
        }, o -> heard.add(o.requestId())));

        outcomes.record(OutcomeFixtures.outcome("l-1", "alpha"));

        assertThat(sink.kept).extracting(OutcomeRecord::requestId).containsExactly("l-1");
        assertThat(heard).containsExactly("l-1");
    }
}
