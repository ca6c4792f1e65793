package dev.expertrouter.config;

import java.util.Map;
import java.util.Optional;

/**
 * One domain expert: an OpenAI-compatible chat endpoint, or a simulated one served by the gateway.
 *
 * @param id            the name callers may use as {@code model}
 * @param baseUrl       the upstream base URL, ending before {@code /chat/completions}; empty for a
 *                      simulated expert, whose address follows the gateway's own port
 * @param model         model name sent upstream
 * @param apiKeyEnv     env var that holds the upstream API key; the key itself never sits in YAML
 * @param headersEnv    extra upstream headers, header name to the env var holding its value
 * @param price         USD per 1M input and output tokens
 * @param quality       prior quality per domain, 0..1; {@code general} stands for unlisted domains
 * @param latencyMs     prior latency of a typical answer
 * @param contextWindow context window in tokens
 * @param timeoutMs     budget of one attempt against this expert
 * @param maxConcurrency calls in flight at once; the expert is ineligible when full
 * @param simulated     present for a simulated expert
 * @param faultTolerance retries, circuit breaker and bulkhead queue of calls to this expert
 */
public record ExpertConfig(
        String id,
        String baseUrl,
        String model,
        String apiKeyEnv,
        Map<String, String> headersEnv,
        Price price,
        Map<String, Double> quality,
        int latencyMs,
        int contextWindow,
        int timeoutMs,
        int maxConcurrency,
        Optional<SimulatedConfig> simulated,
        FaultToleranceConfig faultTolerance) {

    public static final String GENERAL = "general";

    /** An expert with the default fault-tolerance settings. */
    public ExpertConfig(String id, String baseUrl, String model, String apiKeyEnv, Map<String, String> headersEnv,
            Price price, Map<String, Double> quality, int latencyMs, int contextWindow, int timeoutMs,
            int maxConcurrency, Optional<SimulatedConfig> simulated) {
        this(id, baseUrl, model, apiKeyEnv, headersEnv, price, quality, latencyMs, contextWindow, timeoutMs,
                maxConcurrency, simulated, FaultToleranceConfig.DEFAULTS);
    }

    public boolean isSimulated() {
        return simulated.isPresent();
    }

    /** The quality prior for a domain; a domain not listed takes the {@code general} value. */
    public double qualityFor(String domain) {
        Double q = quality.get(domain);
        if (q != null) {
            return q;
        }
        return quality.getOrDefault(GENERAL, 0.5);
    }

    /** Mean of the listed per-domain priors: how a policy picks its default generalist. */
    public double meanQuality() {
        return quality.values().stream().mapToDouble(Double::doubleValue).average().orElse(0.5);
    }
}
