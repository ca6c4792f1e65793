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
    private final ExpertStatsFeed feed;

    public OutcomeLogHealth(RedisOutcomeSink sink, ExpertStatsFeed feed) {
        this.sink = sink;
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        RedisOutcomeSink.State s = sink.state();
        // the writer learns of an outage at its next write; the feed polls Redis every 250 ms, idle or not
        String error = s.lastError() != null ? s.lastError() : feed.lastError();
        boolean reachable = s.redisReachable() && feed.lastError() == null;
        String state = !reachable ? "down" : s.spooled() > 0 ? "degraded" : "up";
        HealthCheckResponseBuilder b = HealthCheckResponse.named("outcomes").status("up".equals(state))
                .withData("state", state)
                .withData("redis-reachable", reachable)
                .withData("queued", s.queued())
                .withData("spooled", s.spooled())
                .withData("estimates-rebuilt", feed.caughtUp());
        if (error != null) {
            b.withData("last-error", error);
        }
        return b.build();
    }
}
