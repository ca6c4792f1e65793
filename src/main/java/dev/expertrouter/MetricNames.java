package dev.expertrouter;

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
    // --- outcome log and spool (outcomes/RedisOutcomeSink): records waiting and written ---
    /** Outcomes waiting in the in-memory queue for the Redis writer (gauge). */
    public static final String OUTCOME_QUEUE_DEPTH = "router.outcomes.queue.depth";
    /** Outcomes waiting in the local disk spool for Redis to return (gauge, records). */
    public static final String OUTCOME_SPOOL_DEPTH = "router.outcomes.spool.depth";
    /** Outcomes written to the Redis stream, directly or from the spool. */
    public static final String OUTCOMES_WRITTEN = "router.outcomes.written";
    /** Failed or timed-out writes to Redis (each sends its batch to the spool). */
    public static final String OUTCOME_WRITE_FAILURES = "router.outcomes.write.failures";
    /** Outcomes replayed from the spool to Redis. */
    public static final String OUTCOMES_REPLAYED = "router.outcomes.replayed";
    /** Torn or unreadable spool lines skipped at replay (a crash mid-write). */
    public static final String OUTCOME_SPOOL_TORN = "router.outcomes.spool.torn";
    // --- end of outcome log ---

    // ---- Routing, learning and scorecards (issue #15: dashboard and scorecards). Each name is
    // ---- used by helm/expert-router/dashboards/expert-router.json; MetricNamesTest pins them.

    /** Time of one routing stage (histogram), tagged by stage: select, embed, classify, rank. */
    public static final String DECISION_DURATION = "router.decision.duration";
    /** The router's confidence in the domain it chose (histogram over 0..1), tagged by domain. */
    public static final String CONFIDENCE = "router.confidence";
    /** Decisions where the policy's escalation rule applied, tagged by policy and reason (low_confidence, no_verdict). */
    public static final String ESCALATIONS = "router.escalations";
    /** Info gauge, 1 for the serving router model, tagged by version ({@code none} without a model). */
    public static final String MODEL_INFO = "router.model.info";
    /** Counterfactual saving against the policy's reference expert in USD, tagged by expert and policy. */
    public static final String SAVINGS_USD = "router.savings.usd";
    /** Feedback scores (histogram over 0..1), tagged by the answering expert and the rated domain. */
    public static final String FEEDBACK_SCORE = "router.feedback.score";
    /** Scorecard gauge: USD spent per feedback-positive answer (score >= 0.5), tagged by domain and expert. */
    public static final String SCORECARD_COST_PER_GOOD_ANSWER = "router.scorecard.cost_per_good_answer_usd";
    /** Scorecard gauge: share of feedback that corrected the routed domain, tagged by domain (routed) and expert. */
    public static final String SCORECARD_CORRECTION_SHARE = "router.scorecard.correction_share";
    /** Scorecard gauge: share of classified traffic per domain since start-up, tagged by domain. */
    public static final String SCORECARD_TRAFFIC_SHARE = "router.scorecard.traffic_share";
    /** Scorecard gauge: share of the serving model's training examples per domain, tagged by domain. */
    public static final String SCORECARD_TRAINING_SHARE = "router.scorecard.training_share";

    // --- tenancy (issue 14): tenant limits and spend; tags: tenant (configured, so few), kind, mode ---
    /** Requests refused by a tenant limit, tagged by tenant and kind (requests, tokens, budget, concurrency, limits_unavailable). */
    public static final String TENANT_REJECTIONS = "router.tenant.rejections";
    /** Spend in USD charged to a tenant's budget (the expert's usage, or the estimate of a cut stream), tagged by tenant. */
    public static final String TENANT_SPEND_USD = "router.tenant.spend.usd";
    /** Limit checks decided without Redis (unreachable or too slow), tagged by tenant and mode (fail_open, fail_closed). */
    public static final String TENANT_LIMITS_WITHOUT_REDIS = "router.tenant.limits.without_redis";

    // --- Conversation affinity (issue #16, routing/affinity) ---
    /** Affinity verdicts of routed chat requests, tagged by policy and affinity ({@code new}, {@code kept}, {@code switched}). */
    public static final String AFFINITY_DECISIONS = "router.affinity.decisions";
    /** Times the affinity store answered from this replica's memory because Redis failed or was being skipped, tagged by operation. */
    public static final String AFFINITY_STORE_FALLBACKS = "router.affinity.store.fallbacks";
    /** Forced requests whose after-the-answer classification was dropped (queue full). */
    public static final String RECORD_CLASSIFICATION_DROPPED = "router.classification.record.dropped";
    /** Forced requests waiting for their after-the-answer classification (gauge). */
    public static final String RECORD_CLASSIFICATION_WAITING = "router.classification.record.waiting";
}
