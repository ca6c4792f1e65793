package dev.expertrouter.outcomes;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * {@code outcomes} in {@code /q/health} and {@code /q/health/well}: DOWN while Redis does not take
 * writes, with {@code state: degraded} once it does but the spool still holds records. A wellness
 * check, not readiness or liveness: the gateway serves without Redis, so no probe may take it out
 * of rotation or restart it for that.
 */
@Wellness
@ApplicationScoped
public class OutcomeLogHealth implements HealthCheck {

    private final RedisOutcomeSink sink;

    public OutcomeLogHealth(RedisOutcomeSink sink) {
        this.sink = sink;
    }

    @Override
    public HealthCheckResponse call() {
        RedisOutcomeSink.State s = sink.state();
        String state = !s.redisReachable() ? "down" : s.spooled() > 0 ? "degraded" : "up";
        HealthCheckResponseBuilder b = HealthCheckResponse.named("outcomes").status("up".equals(state))
                .withData("state", state)
                .withData("redis-reachable", s.redisReachable())
                .withData("queued", s.queued())
                .withData("spooled", s.spooled());
        if (s.lastError() != null) {
            b.withData("last-error", s.lastError());
        }
        return b.build();
    }
}
