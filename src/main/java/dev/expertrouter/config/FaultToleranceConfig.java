package dev.expertrouter.config;

/**
 * How calls to one expert are protected: retries with backoff, a circuit breaker and the queue of
 * its bulkhead. The attempt timeout ({@code timeout-ms}) and the concurrency limit
 * ({@code max-concurrency}) stay on the expert itself, where they were first defined.
 *
 * @param retries                  extra attempts after the first, on retryable failures only
 * @param backoffMs                delay before the first retry; doubles for each further one
 * @param jitterMs                 random extra delay, 0..jitterMs, so retries do not synchronise
 * @param failureRatio             share of failed calls in the window that opens the circuit
 * @param requestVolume            calls in the rolling window the ratio is computed over
 * @param openDelayMs              how long an open circuit rejects calls before probing
 * @param successThreshold         successful probes in half-open that close the circuit again
 * @param queueSize                calls that may wait for a free slot once max-concurrency are in flight
 */
public record FaultToleranceConfig(
        int retries,
        int backoffMs,
        int jitterMs,
        double failureRatio,
        int requestVolume,
        int openDelayMs,
        int successThreshold,
        int queueSize) {

    public static final FaultToleranceConfig DEFAULTS = new FaultToleranceConfig(2, 100, 50, 0.5, 20, 5_000, 2, 8);

    public FaultToleranceConfig {
        if (retries < 0 || backoffMs < 0 || jitterMs < 0) {
            throw new IllegalArgumentException("retries, backoff-ms and jitter-ms must not be negative");
        }
        if (!(failureRatio > 0 && failureRatio <= 1)) {
            throw new IllegalArgumentException("failure-ratio must be in (0, 1], got " + failureRatio);
        }
        if (requestVolume < 1 || openDelayMs < 1 || successThreshold < 1 || queueSize < 1) {
            throw new IllegalArgumentException("request-volume, delay-ms, success-threshold and queue-size must be at least 1");
        }
    }
}
