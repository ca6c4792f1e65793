package dev.expertrouter.metrics;

/**
 * Every metric name the gateway exports, in one place. Names follow the OpenTelemetry GenAI
 * conventions where one exists; tags stay low-cardinality (expert, domain, policy, outcome).
 */
public final class MetricNames {

    private MetricNames() {
    }

    /** Client-facing request duration, tagged by policy, expert, domain, outcome. */
    public static final String REQUEST_DURATION = "gen_ai.server.request.duration";
    /** Upstream call duration per attempt, tagged by expert and outcome. */
    public static final String CLIENT_OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** Time from the request to the first streamed token reaching the client. */
    public static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
    /** Tokens used, tagged by expert and token type (input/output). */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** Estimated spend in USD, tagged by expert and policy. */
    public static final String COST_USD = "router.cost.usd";
    /** Routed requests, tagged by policy, domain, expert. */
    public static final String ROUTED_REQUESTS = "router.requests";
    /** Fallbacks from one expert to the next, tagged by expert that failed. */
    public static final String FALLBACKS = "router.fallbacks";
    /** Config reloads, tagged by outcome. */
    public static final String CONFIG_RELOADS = "router.config.reloads";
    /** Circuit breaker state per expert (gauge): 0 closed, 1 half-open, 2 open; tagged by expert. */
    public static final String EXPERT_CIRCUIT_STATE = "router.expert.circuit.state";
    /** Circuit breaker transitions, tagged by expert and the state entered. */
    public static final String EXPERT_CIRCUIT_TRANSITIONS = "router.expert.circuit.transitions";
    /** Attempts running against an expert now (gauge), tagged by expert. */
    public static final String EXPERT_IN_FLIGHT = "router.expert.in_flight";
    /** Retries of a failed attempt against the same expert, tagged by expert. */
    public static final String EXPERT_RETRIES = "router.expert.retries";
    /** Calls an expert's guard refused (circuit open, concurrency limit), tagged by expert and reason. */
    public static final String EXPERT_REJECTIONS = "router.expert.rejections";
    /** Forced requests whose after-the-answer classification was dropped (queue full). */
    public static final String RECORD_CLASSIFICATION_DROPPED = "router.classification.record.dropped";
    /** Forced requests waiting for their after-the-answer classification (gauge). */
    public static final String RECORD_CLASSIFICATION_WAITING = "router.classification.record.waiting";
}
