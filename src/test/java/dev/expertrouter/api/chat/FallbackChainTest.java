package dev.expertrouter.api.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.Price;
import dev.expertrouter.config.SimulatedConfig;
import dev.expertrouter.experts.Deadline;
import dev.expertrouter.experts.ExpertCallException;
import dev.expertrouter.outcomes.OutcomeRecord;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cross-expert fallback rules, with scripted attempts and a hand-driven clock: no Quarkus. */
class FallbackChainTest {

    private static final ExpertConfig A = expert("a");
    private static final ExpertConfig B = expert("b");
    private static final ExpertConfig C = expert("c");

    private final AtomicLong nanos = new AtomicLong();
    private final Deadline deadline = new Deadline(nanos::get, Duration.ofSeconds(10));
    private final Map<String, Uni<String>> script = new HashMap<>();
    private final List<String> events = new ArrayList<>();

    private FallbackChain<String> chain(ExpertConfig... ranked) {
        return chain((expert, answer) -> true, ranked);
    }

    private FallbackChain<String> chain(FallbackChain.Acceptance<String> acceptance, ExpertConfig... ranked) {
        return new FallbackChain<>(List.of(ranked), deadline, Runnable::run,
                expert -> script.getOrDefault(expert.id(), Uni.createFrom().item("answer from " + expert.id())),
                acceptance, new FallbackChain.Listener<>() {
                    @Override
                    public void onAttempt(ExpertConfig expert) {
                        events.add("attempt " + expert.id());
                    }

                    @Override
                    public void onAnswer(ExpertConfig expert, String answer) {
                        events.add(answer);
                    }

                    @Override
                    public void onExhausted(ExpertConfig lastExpert, Throwable failure) {
                        events.add("exhausted at " + lastExpert.id() + ": " + failure.getMessage());
                    }
                });
    }

    @Test
    void theFirstRankedExpertAnswersWithoutFallback() {
        FallbackChain<String> chain = chain(A, B);
        chain.start();
        assertThat(events).containsExactly("attempt a", "answer from a");
        assertThat(chain.fallbacks()).isEmpty();
    }

    @Test
    void anUnavailableExpertFallsBackToTheNextAndIsRecordedWithItsReason() {
        script.put("a", fail("a", 503));
        script.put("b", fail("b", 0));
        FallbackChain<String> chain = chain(A, B, C);
        chain.start();
        assertThat(events).containsExactly("attempt a", "attempt b", "attempt c", "answer from c");
        assertThat(chain.fallbacks()).containsExactly(
                new OutcomeRecord.Fallback("a", ExpertCallException.ERROR_STATUS + "_503"),
                new OutcomeRecord.Fallback("b", ExpertCallException.ERROR_STATUS));
    }

    @Test
    void aRejectedAnswerMovesDownTheRankingAndIsRecordedAsRejected() {
        FallbackChain<String> chain = chain((expert, answer) -> !expert.id().equals("a"), A, B, C);
        chain.start();
        assertThat(events).containsExactly("attempt a", "attempt b", "answer from b");
        assertThat(chain.fallbacks()).containsExactly(new OutcomeRecord.Fallback("a", FallbackChain.REJECTED));
    }

    @Test
    void theLastExpertsAnswerIsDeliveredWithoutAskingWhetherItIsAccepted() {
        List<String> asked = new ArrayList<>();
        FallbackChain<String> chain = chain((expert, answer) -> {
            asked.add(expert.id());
            return false;
        }, A, B);
        chain.start();
        assertThat(asked).containsExactly("a");
        assertThat(events).containsExactly("attempt a", "attempt b", "answer from b");
        assertThat(chain.fallbacks()).containsExactly(new OutcomeRecord.Fallback("a", FallbackChain.REJECTED));
    }

    @Test
    void afterTheDeadlineARejectableAnswerIsDeliveredRatherThanNone() {
        script.put("a", Uni.createFrom().item(() -> {
            nanos.addAndGet(Duration.ofSeconds(11).toNanos());
            return "late answer from a";
        }));
        FallbackChain<String> chain = chain((expert, answer) -> false, A, B);
        chain.start();
        assertThat(events).containsExactly("attempt a", "late answer from a");
        assertThat(chain.fallbacks()).isEmpty();
    }

    @Test
    void theExpertsVerdictOnTheRequestIsFinal() {
        script.put("a", fail("a", 400));
        FallbackChain<String> chain = chain(A, B);
        chain.start();
        assertThat(events).containsExactly("attempt a", "exhausted at a: failed 400");
        assertThat(chain.fallbacks()).isEmpty();
    }

    @Test
    void aRefusedGatewayKeyIsTheOperatorsFaultSoAnotherExpertMayAnswer() {
        script.put("a", fail("a", 401));
        FallbackChain<String> chain = chain(A, B);
        chain.start();
        assertThat(events).containsExactly("attempt a", "attempt b", "answer from b");
    }

    @Test
    void theLastExpertsFailureEndsTheChain() {
        script.put("a", fail("a", 502));
        script.put("b", fail("b", 504));
        chain(A, B).start();
        assertThat(events).containsExactly("attempt a", "attempt b", "exhausted at b: failed 504");
    }

    @Test
    void noFallbackOnceTheDeadlineHasPassed() {
        script.put("a", Uni.createFrom().<String>failure(() -> {
            nanos.addAndGet(Duration.ofSeconds(11).toNanos());
            return new ExpertCallException("a", 503, ExpertCallException.ERROR_STATUS, "failed 503", Optional.empty());
        }));
        chain(A, B).start();
        assertThat(events).containsExactly("attempt a", "exhausted at a: failed 503");
    }

    @Test
    void aFailureThatIsNotAnExpertCallIsNotRetriedElsewhere() {
        script.put("a", Uni.createFrom().failure(new IllegalStateException("bug")));
        chain(A, B).start();
        assertThat(events).containsExactly("attempt a", "exhausted at a: bug");
    }

    @Test
    void aCancelledChainTriesNoFurtherExpert() {
        FallbackChain<String>[] holder = new FallbackChain[1];
        script.put("a", Uni.createFrom().<String>failure(() -> {
            holder[0].cancel();
            return new ExpertCallException("a", 503, ExpertCallException.ERROR_STATUS, "failed 503", Optional.empty());
        }));
        holder[0] = chain(A, B);
        holder[0].start();
        assertThat(events).containsExactly("attempt a", "exhausted at a: failed 503");
    }

    private static Uni<String> fail(String expert, int status) {
        return Uni.createFrom().failure(new ExpertCallException(expert, status, ExpertCallException.ERROR_STATUS,
                status == 0 ? "connection refused" : "failed " + status, Optional.empty()));
    }

    private static ExpertConfig expert(String id) {
        return new ExpertConfig(id, "", id, null, Map.of(), Price.FREE, Map.of(), 100, 8192, 30_000, 64,
                Optional.of(SimulatedConfig.DEFAULTS));
    }
}
