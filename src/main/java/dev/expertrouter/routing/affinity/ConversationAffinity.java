package dev.expertrouter.routing.affinity;

import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.MetricNames;
import dev.expertrouter.outcomes.OutcomeListener;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Conversation affinity on the request path: {@link #lookup} before the decision (it runs while the
 * prompt is embedded), {@link #apply} to the policy's decision, and {@link #onOutcome} once the turn
 * was answered, which remembers the expert that answered and counts the verdict. Between apply and
 * the outcome, what to remember waits in a small bounded table keyed by request id.
 */
public final class ConversationAffinity implements OutcomeListener {

    /** Requests between decision and outcome; beyond this, the oldest are dropped (and their turn not remembered). */
    static final int MAX_PENDING = 10_000;

    /** What is known of a request's conversation before the decision. */
    public record Lookup(Optional<ConversationId> id, Optional<RememberedChoice> remembered, PolicyConfig.Affinity affinity,
            boolean forced) {

        static Lookup off(PolicyConfig.Affinity affinity, boolean forced) {
            return new Lookup(Optional.empty(), Optional.empty(), affinity, forced);
        }
    }

    private record Pending(String key, AffinityRule.Verdict verdict, Optional<RememberedChoice> previous,
            Duration ttl) {
    }

    private final AffinityStore store;
    private final MeterRegistry registry;
    private final Map<String, Pending> pending = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
            return size() > MAX_PENDING;
        }
    };

    public ConversationAffinity(AffinityStore store, MeterRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Recognises the conversation and fetches its remembered choice; never fails. */
    public CompletionStage<Lookup> lookup(String tenant, ChatPrompt prompt, Optional<String> session,
            PolicyConfig policy, boolean forced) {
        PolicyConfig.Affinity affinity = policy.affinity();
        if (!affinity.enabled() || forced) {
            return CompletableFuture.completedFuture(Lookup.off(affinity, forced));
        }
        ConversationId id = ConversationId.of(tenant, prompt, session);
        if (id.firstTurn()) {
            return CompletableFuture.completedFuture(new Lookup(Optional.of(id), Optional.empty(), affinity, false));
        }
        return store.find(id.key()).handle((found, failure) ->
                new Lookup(Optional.of(id), failure == null ? found : Optional.empty(), affinity, false));
    }

    /**
     * The last user turn on its own, when affinity may need it and the routed text is not already
     * just that turn: a turn that may continue a remembered conversation (not the first user turn,
     * unless the client names its session), under a policy with affinity, short enough for the text
     * selection to put context before it. The policy's {@code topic-check} says how it is read: inside
     * the routed text's embedding pass ({@code context}) or embedded on its own ({@code alone},
     * often from the embedding cache: "shorter please" and "why?" are asked everywhere).
     */
    public static Optional<ChatPrompt> turnAlone(ChatPrompt prompt, PolicyConfig policy, boolean forced, boolean named) {
        if (!policy.affinity().enabled() || forced) {
            return Optional.empty();
        }
        int users = 0;
        int withText = 0;
        String last = null;
        for (Turn t : prompt.turns()) {
            if (t.text() != null && !t.text().isBlank()) {
                withText++;
                if ("user".equalsIgnoreCase(t.role())) {
                    users++;
                    last = t.text().strip();
                }
            }
        }
        boolean mayContinue = users > 1 || named;
        if (last == null || !mayContinue || withText == 1 || last.length() >= PromptTextSelector.DEFAULT_SHORT_FOCUS_CHARS) {
            return Optional.empty();
        }
        return Optional.of(new ChatPrompt(List.of(new Turn("user", last))));
    }

    /**
     * Applies the rule. {@code turnAlone} is the classification of {@link #turnAlone}'s prompt, or
     * {@code routed} itself when there was none; {@code rank} ranks the experts for a
     * classification, once. A chat request (not a dry run) passes its id so that its answer is
     * remembered, unless no expert is eligible (the request is refused, nothing to remember).
     */
    public AffinityRule.Verdict apply(Lookup lookup, Classification routed, Classification turnAlone,
            Function<Classification, RoutingDecision> rank, Optional<String> requestId) {
        AffinityRule.Verdict verdict = AffinityRule.apply(lookup.affinity(), lookup.forced(), lookup.remembered(),
                routed, turnAlone, rank);
        if (requestId.isPresent() && lookup.id().isPresent() && verdict.outcome().isPresent()
                && !verdict.decision().eligible().isEmpty()) {
            synchronized (pending) {
                pending.put(requestId.get(), new Pending(lookup.id().get().key(), verdict, lookup.remembered(),
                        lookup.affinity().ttl()));
            }
        }
        return verdict;
    }

    /** Remembers who answered a successful turn and counts the verdict; called once per routed request. */
    @Override
    public void onOutcome(OutcomeRecord outcome) {
        Pending p;
        synchronized (pending) {
            p = pending.remove(outcome.requestId());
        }
        if (p == null) {
            return;
        }
        String verdict = p.verdict().outcome().orElseThrow().wireName();
        Counter.builder(MetricNames.AFFINITY_DECISIONS).description("Conversation affinity verdicts of routed chat requests")
                .tag("policy", outcome.policy()).tag("affinity", verdict).register(registry).increment();
        if (outcome.succeeded() && outcome.expert() != null) {
            store.remember(p.key(), AffinityRule.next(p.verdict(), p.previous(), outcome.expert()), p.ttl());
        }
    }

    int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }
}
