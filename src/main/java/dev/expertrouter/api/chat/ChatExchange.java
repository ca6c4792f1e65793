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
    private long attemptStartNanos;

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
        response.putHeader(RoutingHeaders.CONFIDENCE, String.format(java.util.Locale.ROOT, "%.4f", classification.confidence()));
        response.putHeader(RoutingHeaders.POLICY, policy);
        response.putHeader(RoutingHeaders.VERSION, classification.routerVersion());
        response.putHeader(RoutingHeaders.FALLBACKS, Integer.toString(fallbacks().size()));
        if (affinity != null) {
            response.putHeader(RoutingHeaders.AFFINITY, affinity);
        }
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
        ACCESS.infof("request_id=%s tenant=%s policy=%s expert=%s domain=%s status=%d error=%s latency_ms=%d fallbacks=%d stream=%s",
                requestId, tenant == null ? "-" : tenant.name(), policy == null ? "-" : policy,
                expert == null ? "-" : expert.id(), classification.domain(), status, errorCode == null ? "-" : errorCode,
                latency, fallbacks.size(), request != null && request.stream());
        if (policy == null || request == null) {
            return null;
        }
        long promptTokens = usage.promptTokens() > 0 ? usage.promptTokens() : request.prompt().estimatedTokens();
        long completionTokens = usage.completionTokens();
        // an expert that failed bills nothing we can know of; a stream that broke or was dropped after it
        // started did run up tokens it never reported: it is charged its estimate, marked as such
        boolean costEstimated = relaying && expert != null && !usage.isKnown();
        double cost = expert == null ? 0
                : costEstimated ? estimatedCostUsd()
                : status >= 400 ? 0 : expert.price().costUsd(promptTokens, completionTokens);
        List<String> candidates = decision == null ? List.of()
                : decision.candidates().stream().filter(Candidate::eligible).map(Candidate::expert).toList();
        return new OutcomeRecord(requestId, arrived, tenant.name(), policy, classification.routerVersion(),
                classification.domain(), classification.confidence(), classification.scores(), forced,
                expert == null ? null : expert.id(), candidates, List.copyOf(fallbacks), status, errorCode,
                upstreamStatus, request.stream(), latency, promptTokens, completionTokens, cost, savedUsd(status),
                sha256(request), classification.embedding(), classification.embedderId(),
                expert == null || status >= 400 ? 0 : attemptMs(), null, false, affinity, costEstimated);
    }

    /** The routing estimate of the answering expert's cost for this request. */
    private double estimatedCostUsd() {
        if (decision == null) {
            return 0;
        }
        return decision.candidates().stream().filter(c -> c.expert().equals(expert.id())).findFirst()
                .map(Candidate::estCostUsd).orElse(0.0);
    }

    /** The policy's counterfactual: its reference expert's estimated cost minus the answering one's. */
    private double savedUsd(int status) {
        if (status >= 400 || decision == null || expert == null) {
            return 0;
        }
        return decision.savingUsdIfServedBy(expert.id()).orElse(0);
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
