package dev.expertrouter.routing.serving;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.MetricNames;
import dev.expertrouter.routing.affinity.ConversationAffinity;
import dev.expertrouter.routing.affinity.LocalAffinityStore;
import dev.expertrouter.routing.affinity.RedisAffinityStore;
import io.micrometer.core.instrument.Counter;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.Startup;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Conversation affinity's beans: the Redis store (Quarkus' default Redis client, {@code
 * quarkus.redis.hosts}) with this replica's memory beside it, or this replica's memory alone when no
 * Redis is configured; and the request path's facade, which is also the outcome listener that
 * remembers who answered.
 */
@ApplicationScoped
public class AffinityBeans {

    private static final Logger LOG = Logger.getLogger(AffinityBeans.class);

    @Produces
    @ApplicationScoped
    @Startup // so that the Redis connection is opened before the first request, not by it
    ConversationAffinity conversationAffinity(InjectableInstance<Redis> redis, RouterSettings settings, GatewayClock clock,
            MeterRegistry registry) {
        LocalAffinityStore local = new LocalAffinityStore(settings.affinity().localCapacity(), clock::nanoTime);
        // Quarkus deactivates its Redis client while quarkus.redis.hosts is unset
        var client = redis.listActive().stream().findFirst();
        if (client.isEmpty()) {
            LOG.info("conversation affinity: no Redis configured (quarkus.redis.hosts), conversations are remembered per replica");
            return new ConversationAffinity(local, registry);
        }
        RedisAffinityStore store = new RedisAffinityStore(client.get(), local, settings.affinity().redisTimeout(), clock::nanoTime,
                operation -> Counter.builder(MetricNames.AFFINITY_STORE_FALLBACKS)
                        .description("Affinity lookups and writes served by this replica's memory because Redis failed or is being skipped")
                        .tag("operation", operation).register(registry).increment()).warmUp();
        return new ConversationAffinity(store, registry);
    }
}
