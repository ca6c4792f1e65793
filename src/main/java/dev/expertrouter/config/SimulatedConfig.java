package dev.expertrouter.config;

/**
 * A simulated expert served by the gateway itself: an OpenAI-compatible endpoint with a latency
 * distribution, an error rate and token counts, so the gateway runs and benchmarks without network.
 * The fault knobs let tests and benchmarks make it misbehave the ways real upstreams do; each rate
 * is drawn independently per call, in the order hang, reset, error, malformed.
 *
 * @param latencyMs         median time to the complete answer (non-streaming) or to the first token
 * @param latencyJitterMs   spread of a log-normal-like latency around the median (0 = fixed)
 * @param errorRate         share of calls answered with {@code errorStatus}, 0..1
 * @param outputTokens      tokens in each answer
 * @param tokensPerSecond   streaming pace after the first token
 * @param errorStatus       HTTP status of an injected error (503 by default; 429, 500, 400, ...)
 * @param retryAfterSeconds {@code Retry-After} sent with an injected 429 or 503; 0 sends none
 * @param latencySpikeRate  share of calls that take {@code latencySpikeMs} more
 * @param latencySpikeMs    extra latency of a spike
 * @param hangRate          share of calls that are never answered (the caller has to time out)
 * @param resetRate         share of calls whose connection is closed without an answer
 * @param malformedRate     share of calls answered with a body (or, streamed, a chunk) that is not JSON
 * @param dropRate          share of streamed calls whose connection is closed mid-stream
 * @param dropAfterChunks   chunks sent before such a drop (and before a malformed chunk)
 */
public record SimulatedConfig(
        int latencyMs,
        int latencyJitterMs,
        double errorRate,
        int outputTokens,
        int tokensPerSecond,
        int errorStatus,
        int retryAfterSeconds,
        double latencySpikeRate,
        int latencySpikeMs,
        double hangRate,
        double resetRate,
        double malformedRate,
        double dropRate,
        int dropAfterChunks) {

    public static final SimulatedConfig DEFAULTS = new SimulatedConfig(50, 0, 0, 64, 400);

    /** A well-behaved simulated expert, apart from {@code errorRate} 503s. */
    public SimulatedConfig(int latencyMs, int latencyJitterMs, double errorRate, int outputTokens, int tokensPerSecond) {
        this(latencyMs, latencyJitterMs, errorRate, outputTokens, tokensPerSecond, 503, 1, 0, 0, 0, 0, 0, 0, 1);
    }
}
