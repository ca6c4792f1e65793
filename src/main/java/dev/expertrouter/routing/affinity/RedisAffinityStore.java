package dev.expertrouter.routing.affinity;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Conversations remembered in Redis, so that every replica sends a conversation's next turn to the
 * same expert: {@code router:affinity:<sha-256>} holds a {@link RememberedChoice} as JSON and expires
 * with the policy's ttl. This replica's {@link LocalAffinityStore} is written beside it and answers
 * whenever Redis does not, within {@code timeout}: the gateway never waits on Redis longer than that
 * and keeps working without it. After a failure Redis is skipped for {@link #RETRY_AFTER}, so a dead
 * or hanging Redis costs one timeout a second, not one per request.
 *
 * <p>The futures returned by {@link #find} may complete on a Redis or timer thread: callers move
 * back to their own context.
 */
public final class RedisAffinityStore implements AffinityStore {

    public static final String PREFIX = "router:affinity:";
    private static final Logger LOG = Logger.getLogger(RedisAffinityStore.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Redis redis;
    private final LocalAffinityStore local;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final Consumer<String> onFallback;
    private volatile long skipUntilNanos;
    private volatile boolean skipping;

    /**
     * @param onFallback told the operation ({@code find}, {@code remember}) each time Redis failed or was skipped
     */
    public RedisAffinityStore(Redis redis, LocalAffinityStore local, Duration timeout, LongSupplier nanoTime,
            Consumer<String> onFallback) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.redis = redis;
        this.local = local;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
        this.onFallback = onFallback;
    }

    /**
     * Opens the client's first connection ahead of traffic (without waiting for it): connecting
     * takes longer than a lookup may wait, so without this the first lookups after start-up would
     * all miss.
     */
    public RedisAffinityStore warmUp() {
        redis.send(Request.cmd(Command.PING)).onFailure(e -> redisFailed("warm-up", e));
        return this;
    }

    @Override
    public CompletionStage<Optional<RememberedChoice>> find(String key) {
        if (skipRedis()) {
            onFallback.accept("find");
            return local.find(key);
        }
        CompletableFuture<Optional<RememberedChoice>> shared = new CompletableFuture<>();
        redis.send(Request.cmd(Command.GET).arg(PREFIX + key)).onComplete(ar -> {
            if (ar.succeeded()) {
                shared.complete(RememberedChoice.decode(text(ar.result())));
            } else {
                shared.completeExceptionally(ar.cause());
            }
        });
        return shared.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).handle((found, failure) -> {
            if (failure != null) {
                redisFailed("find", failure);
                return local.get(key);
            }
            // Redis knows nothing of a conversation this replica answered while Redis was away
            return found.or(() -> local.get(key));
        });
    }

    @Override
    public void remember(String key, RememberedChoice choice, Duration ttl) {
        local.remember(key, choice, ttl);
        if (skipRedis()) {
            onFallback.accept("remember");
            return;
        }
        redis.send(Request.cmd(Command.SET).arg(PREFIX + key).arg(choice.encode()).arg("PX").arg(ttl.toMillis()))
                .onFailure(e -> redisFailed("remember", e));
    }

    private boolean skipRedis() {
        if (!skipping) {
            return false;
        }
        if (nanoTime.getAsLong() - skipUntilNanos >= 0) {
            skipping = false;
            return false;
        }
        return true;
    }

    private void redisFailed(String operation, Throwable cause) {
        boolean wasSkipping = skipping;
        skipUntilNanos = nanoTime.getAsLong() + RETRY_AFTER.toNanos();
        skipping = true;
        if (!wasSkipping) {
            // at most one line per skip window
            LOG.warnf("conversation affinity: Redis %s failed (%s); this replica's memory answers for %d ms", operation,
                    cause.toString(), RETRY_AFTER.toMillis());
        }
        onFallback.accept(operation);
    }

    private static String text(Response response) {
        return response == null ? null : response.toString();
    }
}
