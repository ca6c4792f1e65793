package dev.expertrouter.resilience;

import dev.expertrouter.config.FaultToleranceConfig;
import dev.expertrouter.experts.ExpertCallException;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delay before each retry of one call: {@code backoff-ms}, doubling per retry, plus up to
 * {@code jitter-ms}; an expert's {@code Retry-After} wins when it asks for longer. SmallRye asks a
 * fresh instance per guarded call, so the retry count here is that call's.
 */
final class RetryBackoff implements CustomBackoffStrategy {

    private static final int MAX_DOUBLINGS = 10;

    private final FaultToleranceConfig config;
    private int retries;

    RetryBackoff(FaultToleranceConfig config) {
        this.config = config;
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        long delay = plannedDelayMs(config, retries++, cause);
        return config.jitterMs() == 0 ? delay : delay + ThreadLocalRandom.current().nextInt(config.jitterMs() + 1);
    }

    /** The delay before retry number {@code retry} (0-based), without jitter. */
    static long plannedDelayMs(FaultToleranceConfig config, int retry, Throwable cause) {
        long backoff = (long) config.backoffMs() << Math.min(retry, MAX_DOUBLINGS);
        if (cause instanceof ExpertCallException e && e.retryAfterSeconds().isPresent()) {
            return Math.max(backoff, e.retryAfterSeconds().get() * 1000L);
        }
        return backoff;
    }
}
