package dev.expertrouter.api.chat;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.Sha256;
import dev.expertrouter.api.ChatRequest;
import dev.expertrouter.api.RoutingHeaders;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.experts.Usage;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.routing.Candidate;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.tenancy.PiiRedactor;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import dev.expertrouter.tenancy.Admission;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The state of one chat request as it moves through routing and expert calls, and the single
 * place where it ends: exactly one access-log line, and one outcome record once it was routed.
 */
final class ChatExchange {

    private static final Logger ACCESS = Logger.getLogger("dev.expertrouter.access");

    final String requestId;
    final HttpServerResponse response;
    private final GatewayClock clock;
    private final long startNanos;
    private final Instant arrived;
    private final AtomicBoolean finished = new AtomicBoolean();

    TenantConfig tenant;
    ChatRequest request;
    String policy;
    boolean forced;
    Classification classification = Classification.unknown();
    RoutingDecision decision;
    /** How conversation affinity decided ({@code new}, {@code kept}, {@code switched}), or null when it did not apply. */
    String affinity;
    ExpertConfig expert;
    /** The experts tried, once the request is past routing; cancels upstream work on a client's disconnect. */
    FallbackChain<?> chain;
    /** Cancels the expert's stream once one is being relayed. */
    Runnable cancelStream = () -> { };
    /** Whether an expert's stream started reaching the client (its tokens are billed even if it breaks). */
    boolean relaying;
    /** The tenant limiter's ticket, settled with the real usage when the exchange ends. */
    Admission admission;
    /** The configuration the request was routed under, once it was. */
    dev.expertrouter.config.RouterConfig config;
    /** {@link dev.expertrouter.routing.quality.AnswerChecks} of the answer sent, when it was checked. */
    double[] answerChecks;
    /** What the draft's verifier decided ({@code accepted} or {@code rejected}), or null when none judged. */
    String verifierVerdict;
    /** What answers the verifier rejected cost: paid for, though the client never got them. */
    double rejectedCostUsd;
    long rejectedTokens;
    private long attemptStartNanos;
    /** Runs work on the request's event loop; set once the request is past intake. */
    java.util.concurrent.Executor onContext;

    ChatExchange(String requestId, HttpServerResponse response, GatewayClock clock) {
        this.requestId = requestId;
        this.response = response;
        this.clock = clock;
        this.startNanos = clock.nanoTime();
        this.arrived = clock.now();
    }

    /** An attempt at {@code expert} starts. */
    void attempting(ExpertConfig expert) {
        this.expert = expert;
        this.attemptStartNanos = clock.nanoTime();
    }

    void cancelUpstream() {
        FallbackChain<?> c = chain;
        if (c != null) {
            c.cancel();
        }
        cancelStream.run();
    }

    List<OutcomeRecord.Fallback> fallbacks() {
        FallbackChain<?> c = chain;
        return c == null ? List.of() : c.fallbacks();
    }

    /** The x-router-* headers of a routed answer (or of an error once an expert was chosen). */
    void writeRoutingHeaders() {
        response.putHeader(RoutingHeaders.EXPERT, expert.id());
        response.putHeader(RoutingHeaders.DOMAIN, classification.domain());
        response.putHeader(RoutingHeaders.CONFIDENCE, fourDecimals(classification.confidence()));
        response.putHeader(RoutingHeaders.POLICY, policy);
        response.putHeader(RoutingHeaders.VERSION, classification.routerVersion());
        response.putHeader(RoutingHeaders.FALLBACKS, Integer.toString(fallbacks().size()));
        if (affinity != null) {
            response.putHeader(RoutingHeaders.AFFINITY, affinity);
        }
        if (verifierVerdict != null) {
            response.putHeader(RoutingHeaders.VERIFIER, verifierVerdict);
        }
    }

    /** {@code %.4f} of a probability (0..1), without a Formatter per request. */
    static String fourDecimals(double p) {
        if (!(p >= 0 && p <= 1)) {
            return String.format(java.util.Locale.ROOT, "%.4f", p);
        }
        long scaled = Math.round(p * 10_000);
        String digits = Long.toString(10_000 + scaled % 10_000).substring(1);
        return (scaled / 10_000) + "." + digits;
    }

    boolean isFinished() {
        return finished.get();
    }

    long elapsedMs() {
        return (clock.nanoTime() - startNanos) / 1_000_000;
    }

    /** Ends the exchange once; returns the outcome to record, or null when it was not routed. */
    OutcomeRecord finish(int status, String errorCode, int upstreamStatus, Usage usage) {
        if (!finished.compareAndSet(false, true)) {
            return null;
        }
        long latency = elapsedMs();
        List<OutcomeRecord.Fallback> fallbacks = fallbacks();
        if (ACCESS.isInfoEnabled()) {
            // concatenated, not String.format'ed: the formatter showed in the event loop's profile
            ACCESS.info("request_id=" + requestId + " tenant=" + (tenant == null ? "-" : tenant.name())
                    + " policy=" + (policy == null ? "-" : policy) + " expert=" + (expert == null ? "-" : expert.id())
                    + " domain=" + classification.domain() + " status=" + status
                    + " error=" + (errorCode == null ? "-" : errorCode) + " latency_ms=" + latency
                    + " fallbacks=" + fallbacks.size() + " stream=" + (request != null && request.stream()));
        }
        if (policy == null || request == null) {
            return null;
        }
        long promptTokens = usage.promptTokens() > 0 ? usage.promptTokens() : request.prompt().estimatedTokens();
        long completionTokens = usage.completionTokens();
        // an expert that failed bills nothing we can know of; a stream that broke or was dropped after it
        // started did run up tokens it never reported: it is charged its estimate, marked as such
        boolean costEstimated = relaying && expert != null && !usage.isKnown();
        double cost = rejectedCostUsd + (expert == null ? 0
                : costEstimated ? estimatedCostUsd()
                : status >= 400 ? 0 : expert.price().costUsd(promptTokens, completionTokens));
        List<String> candidates = decision == null ? List.of()
                : decision.candidates().stream().filter(Candidate::eligible).map(Candidate::expert).toList();
        return new OutcomeRecord(requestId, arrived, tenant.name(), policy, classification.routerVersion(),
                classification.domain(), classification.confidence(), classification.scores(), forced,
                expert == null ? null : expert.id(), candidates, List.copyOf(fallbacks), status, errorCode,
                upstreamStatus, request.stream(), latency, promptTokens, completionTokens, cost, savedUsd(status),
                sha256(request), classification.embedding(), classification.embedderId(),
                expert == null || status >= 400 ? 0 : attemptMs(), storedPrompt(), explored(), affinity, costEstimated,
                status >= 400 ? null : answerChecks);
    }

    /** The routing estimate of the answering expert's cost for this request. */
    private double estimatedCostUsd() {
        if (decision == null) {
            return 0;
        }
        return decision.candidates().stream().filter(c -> c.expert().equals(expert.id())).findFirst()
                .map(Candidate::estCostUsd).orElse(0.0);
    }

    /** Longest prompt text kept in a record: enough to audit or relabel a prompt, bounded in work and size. */
    static final int MAX_STORED_PROMPT_CHARS = 2_000;

    /**
     * The prompt text for the record, only for a tenant whose {@code store-prompts} allows it: its
     * first {@value #MAX_STORED_PROMPT_CHARS} characters, with e-mail addresses, phone and card
     * numbers redacted; otherwise null (the hash stands in). Bounded because redaction runs here,
     * on the event loop, and a prompt may be megabytes long.
     */
    private String storedPrompt() {
        if (tenant == null || request == null || !tenant.learning().storePrompts()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (var turn : request.prompt().turns()) {
            if (text.length() >= MAX_STORED_PROMPT_CHARS) {
                break;
            }
            text.append(turn.role()).append(": ").append(turn.text()).append('\n');
        }
        if (text.length() > MAX_STORED_PROMPT_CHARS) {
            text.setLength(MAX_STORED_PROMPT_CHARS);
        }
        return PiiRedactor.redact(text.toString());
    }

    /** Exploration only when the explored expert answered: after a fallback the policy's own choice did. */
    private boolean explored() {
        return decision != null && decision.exploration() && expert != null
                && decision.chosen().map(c -> c.expert().equals(expert.id())).orElse(false);
    }

    /**
     * The policy's counterfactual: its reference expert's estimated cost minus the answering one's,
     * and minus any answer the verifier rejected on the way.
     */
    private double savedUsd(int status) {
        if (status >= 400 || decision == null || expert == null) {
            return 0;
        }
        return decision.savingUsdIfServedBy(expert.id()).orElse(0) - rejectedCostUsd;
    }

    long attemptMs() {
        return (clock.nanoTime() - attemptStartNanos) / 1_000_000;
    }

    private static String sha256(ChatRequest request) {
        MessageDigest digest = Sha256.digest();
        request.prompt().turns().forEach(t -> {
            digest.update(t.role().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(t.text().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        });
        return HexFormat.of().formatHex(digest.digest());
    }
}
