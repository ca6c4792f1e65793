package dev.expertrouter.outcomes;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.routing.policy.ExpertStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The outcome log's beans, on the Quarkus Redis client ({@code quarkus.redis.hosts}); the classes
 * themselves are framework-free. The sink is the gateway's {@link OutcomeSink}.
 */
@ApplicationScoped
public class OutcomeBeans {

    /** This process's id in the streams, so it skips its own entries when tailing them. */
    private final String origin = UUID.randomUUID().toString();

    @Produces
    @ApplicationScoped
    OutcomeStore store(Redis redis, RouterSettings settings) {
        return new OutcomeStore(redis, settings.outcomes().redisTimeout());
    }

    @Produces
    @ApplicationScoped
    RedisOutcomeSink sink(OutcomeStore store, RouterSettings settings, ConfigHolder config, GatewayClock clock,
            MeterRegistry registry) {
        RouterSettings.Outcomes o = settings.outcomes();
        OutcomeSpool spool;
        try {
            spool = new OutcomeSpool(Path.of(o.spoolDir()), o.spoolSegmentBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("router.outcomes.spool-dir: cannot use " + o.spoolDir(), e);
        }
        return new RedisOutcomeSink(store, spool,
                new RedisOutcomeSink.Settings(o.queueCapacity(), o.retention(), o.streamMaxLen(), o.maxRetryBackoff()),
                clock, origin, tenant -> config.current().tenants().stream()
                        .anyMatch(t -> t.name().equals(tenant) && t.learning().storePrompts()), registry);
    }

    void closeSink(@Disposes RedisOutcomeSink sink) {
        sink.close();
    }

    @Produces
    @ApplicationScoped
    FeedbackLearning learning(ExpertStats stats, ConfigHolder config) {
        return new FeedbackLearning(stats, tenant -> config.current().trust(tenant));
    }

    @Produces
    @ApplicationScoped
    FeedbackService feedback(OutcomeStore store, RedisOutcomeSink sink, Outcomes outcomes, FeedbackLearning learning,
            RouterSettings settings, GatewayClock clock) {
        // an answer's record may still wait for its classification (forced requests) or for Redis
        return new FeedbackService(store, id -> outcomes.answeredHere(id, sink::find), learning,
                settings.feedback().retention(), clock, origin);
    }

    @Produces
    @ApplicationScoped
    ExpertStatsFeed feed(OutcomeStore store, FeedbackLearning learning, RouterSettings settings) {
        return new ExpertStatsFeed(store, learning, origin, settings.outcomes().warmUpOutcomes(),
                settings.outcomes().maxRetryBackoff()).start();
    }

    void closeFeed(@Disposes ExpertStatsFeed feed) {
        feed.close();
    }

    @Produces
    @ApplicationScoped
    OutcomeHistory history(OutcomeStore store) {
        return new RedisOutcomeHistory(store);
    }

    /** Starts the sink (replaying a spool left by the last run) and the estimates' feed with the gateway. */
    void start(@Observes StartupEvent event, RedisOutcomeSink sink, ExpertStatsFeed feed) {
        sink.origin();
        feed.caughtUp();
    }
}
