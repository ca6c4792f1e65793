package dev.expertrouter.config;

/**
 * A simulated expert served by the gateway itself: an OpenAI-compatible endpoint with a latency
 * distribution, an error rate and token counts, so the gateway runs and benchmarks without network.
 *
 * @param latencyMs       median time to the complete answer (non-streaming) or to the first token
 * @param latencyJitterMs spread of a log-normal-like latency around the median (0 = fixed)
 * @param errorRate       share of calls answered with 503, 0..1
 * @param outputTokens    tokens in each answer
 * @param tokensPerSecond streaming pace after the first token
 */
public record SimulatedConfig(
        int latencyMs,
        int latencyJitterMs,
        double errorRate,
        int outputTokens,
        int tokensPerSecond) {

    public static final SimulatedConfig DEFAULTS = new SimulatedConfig(50, 0, 0, 64, 400);
}
