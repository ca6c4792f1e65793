package dev.expertrouter.outcomes;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@link OutcomeHistory} over the {@code router:outcomes} stream: XRANGE from the stream id of
 * {@code since} (a record is written at or after the time it was made, so none made since then is
 * missed; older ones replayed late are filtered out), each page joined with its feedback in one MGET.
 * Blocking; throws {@link OutcomeStore.Unavailable} when Redis is away. The gateway's bean uses
 * the Quarkus Redis client; a process without Quarkus (the offline {@code retrain} command) opens a
 * client of its own with {@link #connect}.
 */
public final class RedisOutcomeHistory implements OutcomeHistory {

    private static final Logger LOG = Logger.getLogger("dev.expertrouter.outcomes");
    private static final int PAGE = 500;

    private final OutcomeStore store;

    public RedisOutcomeHistory(OutcomeStore store) {
        this.store = store;
    }

    /**
     * A history over a Redis client of its own, for a process that runs no gateway: the same reads
     * the gateway's retrain makes. Fails at once, naming the server, when Redis does not answer.
     *
     * @param url a Redis connection string, as {@code quarkus.redis.hosts} takes it
     */
    public static Connected connect(String url, Duration timeout) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
        Connected connected = new Connected(vertx, redis, new OutcomeStore(redis, timeout));
        if (!connected.store.ping()) {
            connected.close();
            throw new OutcomeStore.Unavailable("no answer from Redis at " + withoutCredentials(url), null);
        }
        return connected;
    }

    /** {@link RedisOutcomeHistory} with the client it owns; closing it closes the client. */
    public static final class Connected implements OutcomeHistory, AutoCloseable {

        private final Vertx vertx;
        private final Redis redis;
        private final OutcomeStore store;
        private final RedisOutcomeHistory history;

        private Connected(Vertx vertx, Redis redis, OutcomeStore store) {
            this.vertx = vertx;
            this.redis = redis;
            this.store = store;
            this.history = new RedisOutcomeHistory(store);
        }

        @Override
        public List<RatedOutcome> read(Instant since, int limit) {
            return history.read(since, limit);
        }

        /** How many entries the outcome stream holds (all of them, whatever their age). */
        public long outcomesInStream() {
            return store.length(OutcomeStore.OUTCOMES);
        }

        @Override
        public void close() {
            redis.close();
            vertx.close();
        }
    }

    /** The connection string without a password, for messages. */
    public static String withoutCredentials(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getRawUserInfo() == null ? url : url.replace(uri.getRawUserInfo() + "@", "***@");
        } catch (IllegalArgumentException e) {
            return "(an unparsable Redis URL)";
        }
    }

    @Override
    public List<RatedOutcome> read(Instant since, int limit) {
        List<RatedOutcome> rated = new ArrayList<>();
        String start = Math.max(0, since.toEpochMilli()) + "-0";
        int unreadable = 0;
        while (rated.size() < limit) {
            List<OutcomeStore.Entry> page = store.rangeFrom(OutcomeStore.OUTCOMES, start, PAGE);
            if (page.isEmpty()) {
                break;
            }
            List<OutcomeRecord> outcomes = new ArrayList<>(page.size());
            for (OutcomeStore.Entry e : page) {
                try {
                    OutcomeRecord o = OutcomeCodec.decode(e.fields().get("record")).outcome();
                    if (!o.time().isBefore(since)) {
                        outcomes.add(o);
                    }
                } catch (RuntimeException bad) {
                    unreadable++;
                }
            }
            List<Optional<Feedback>> feedback = store.feedback(outcomes.stream().map(OutcomeRecord::requestId).toList());
            for (int i = 0; i < outcomes.size() && rated.size() < limit; i++) {
                rated.add(new RatedOutcome(outcomes.get(i), feedback.get(i)));
            }
            start = "(" + page.get(page.size() - 1).id();
        }
        if (unreadable > 0) {
            LOG.warnf("outcome history: %d unreadable records skipped", unreadable);
        }
        return rated;
    }
}
