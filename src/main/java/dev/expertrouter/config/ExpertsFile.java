package dev.expertrouter.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code experts.yaml}: each expert, its price, quality priors, fault tolerance and simulation. */
final class ExpertsFile {

    private ExpertsFile() {
    }

    static List<ExpertConfig> experts(ConfigNode root) {
        root.onlyKeys(Set.of("experts"));
        List<ExpertConfig> experts = new ArrayList<>();
        for (ConfigNode e : root.objects("experts")) {
            experts.add(expert(e));
        }
        if (experts.isEmpty()) {
            throw root.problem("experts", "at least one expert is required");
        }
        return experts;
    }

    private static ExpertConfig expert(ConfigNode e) {
        e.onlyKeys(Set.of("id", "base-url", "model", "api-key-env", "headers-env", "price", "quality", "latency-ms",
                "context-window", "timeout-ms", "max-concurrency", "simulated", "fault-tolerance"));
        String id = ConfigNames.name(e, "id");
        Optional<SimulatedConfig> simulated = e.optionalObject("simulated").map(ExpertsFile::simulated);
        Optional<String> baseUrl = e.optionalString("base-url");
        if (simulated.isPresent() && baseUrl.isPresent()) {
            throw e.problem("base-url", "an expert is either simulated or has a base-url, not both");
        }
        if (simulated.isEmpty() && baseUrl.isEmpty()) {
            throw e.problem("base-url", "is required unless the expert has a 'simulated' block");
        }
        baseUrl.ifPresent(url -> {
            String lower = url.toLowerCase(Locale.ROOT);
            if (!(lower.startsWith("http://") || lower.startsWith("https://"))) {
                throw e.problem("base-url", "must start with http:// or https://");
            }
        });
        Optional<String> apiKeyEnv = e.optionalString("api-key-env");
        apiKeyEnv.ifPresent(name -> ConfigNames.envName(e, "api-key-env", name));
        var headersEnv = e.stringMap("headers-env");
        headersEnv.forEach((header, var) -> ConfigNames.envName(e, "headers-env." + header, var));
        Price price = e.optionalObject("price").map(p -> {
            p.onlyKeys(Set.of("input-per-mtok", "output-per-mtok"));
            return new Price(p.requiredNumber("input-per-mtok", 0, 10_000), p.requiredNumber("output-per-mtok", 0, 10_000));
        }).orElse(Price.FREE);
        var quality = e.numberMap("quality", 0, 1);
        return new ExpertConfig(
                id,
                baseUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).orElse(""),
                e.optionalString("model").orElse(id),
                apiKeyEnv.orElse(null),
                headersEnv,
                price,
                quality,
                e.integer("latency-ms", 1000, 1, 600_000),
                e.integer("context-window", 8192, 256, 10_000_000),
                e.integer("timeout-ms", 30_000, 1, 600_000),
                e.integer("max-concurrency", 64, 1, 100_000),
                simulated,
                e.optionalObject("fault-tolerance").map(ExpertsFile::faultTolerance).orElse(FaultToleranceConfig.DEFAULTS));
    }

    private static FaultToleranceConfig faultTolerance(ConfigNode f) {
        f.onlyKeys(Set.of("retries", "backoff-ms", "jitter-ms", "circuit-breaker", "bulkhead"));
        FaultToleranceConfig d = FaultToleranceConfig.DEFAULTS;
        ConfigNode cb = f.optionalObject("circuit-breaker").orElse(null);
        if (cb != null) {
            cb.onlyKeys(Set.of("failure-ratio", "request-volume", "delay-ms", "success-threshold"));
        }
        ConfigNode bulkhead = f.optionalObject("bulkhead").orElse(null);
        if (bulkhead != null) {
            bulkhead.onlyKeys(Set.of("queue-size"));
        }
        return new FaultToleranceConfig(
                f.integer("retries", d.retries(), 0, 10),
                f.integer("backoff-ms", d.backoffMs(), 0, 60_000),
                f.integer("jitter-ms", d.jitterMs(), 0, 60_000),
                cb == null ? d.failureRatio() : cb.number("failure-ratio", d.failureRatio(), 0.01, 1),
                cb == null ? d.requestVolume() : cb.integer("request-volume", d.requestVolume(), 1, 10_000),
                cb == null ? d.openDelayMs() : cb.integer("delay-ms", d.openDelayMs(), 1, 3_600_000),
                cb == null ? d.successThreshold() : cb.integer("success-threshold", d.successThreshold(), 1, 1_000),
                bulkhead == null ? d.queueSize() : bulkhead.integer("queue-size", d.queueSize(), 1, 100_000));
    }

    private static SimulatedConfig simulated(ConfigNode s) {
        s.onlyKeys(Set.of("latency-ms", "latency-jitter-ms", "error-rate", "output-tokens", "tokens-per-second", "source",
                "error-status", "retry-after-seconds", "latency-spike-rate", "latency-spike-ms", "hang-rate", "reset-rate",
                "malformed-rate", "drop-rate", "drop-after-chunks"));
        SimulatedConfig d = SimulatedConfig.DEFAULTS;
        return new SimulatedConfig(
                s.integer("latency-ms", d.latencyMs(), 0, 600_000),
                s.integer("latency-jitter-ms", d.latencyJitterMs(), 0, 600_000),
                s.number("error-rate", d.errorRate(), 0, 1),
                s.integer("output-tokens", d.outputTokens(), 1, 100_000),
                s.integer("tokens-per-second", d.tokensPerSecond(), 1, 1_000_000),
                s.integer("error-status", d.errorStatus(), 400, 599),
                s.integer("retry-after-seconds", d.retryAfterSeconds(), 0, 3_600),
                s.number("latency-spike-rate", d.latencySpikeRate(), 0, 1),
                s.integer("latency-spike-ms", d.latencySpikeMs(), 0, 600_000),
                s.number("hang-rate", d.hangRate(), 0, 1),
                s.number("reset-rate", d.resetRate(), 0, 1),
                s.number("malformed-rate", d.malformedRate(), 0, 1),
                s.number("drop-rate", d.dropRate(), 0, 1),
                s.integer("drop-after-chunks", d.dropAfterChunks(), 0, 100_000));
    }
}
