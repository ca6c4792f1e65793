package dev.expertrouter.routing.serving;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.metrics.MetricNames;
import dev.expertrouter.routing.affinity.ConversationAffinity;
import dev.expertrouter.routing.affinity.LocalAffinityStore;
import dev.expertrouter.routing.affinity.RedisAffinityStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Conversation affinity's beans: the Redis store (Quarkus' default Redis client, {@code
 * quarkus.redis.hosts}) with this replica's memory beside it, and the request path's facade, which
 * is also the outcome listener that remembers who answered.
 */
@ApplicationScoped
public class AffinityBeans {

    @Produces
    @ApplicationScoped
    ConversationAffinity conversationAffinity(Redis redis, RouterSettings settings, GatewayClock clock,
            MeterRegistry registry) {
        LocalAffinityStore local = new LocalAffinityStore(settings.affinity().localCapacity(), clock::nanoTime);
        RedisAffinityStore store = new RedisAffinityStore(redis, local, settings.affinity().redisTimeout(), clock::nanoTime,
                operation -> Counter.builder(MetricNames.AFFINITY_STORE_FALLBACKS)
                        .description("Affinity lookups and writes served by this replica's memory because Redis failed or is being skipped")
                        .tag("operation", operation).register(registry).increment());
        return new ConversationAffinity(store, registry);
    }
}
