package dev.expertrouter.outcomes;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Redis side of outcomes and feedback: the key layout and every command, blocking with a
 * timeout. Only the outcome threads and worker threads call it, never the event loop.
 *
 * <p>Keys: stream {@code router:outcomes} (fields {@code id}, {@code v}, {@code origin}, {@code record}); hash
 * {@code router:outcome:<id>} (where the record sits in the stream, and the tenant, expert, domain
 * and status feedback joins on); string {@code router:feedback:<id>} (the feedback, its existence
 * is the one-feedback-per-request lock); stream {@code router:feedback} (fields {@code id},
 * {@code origin}, {@code feedback}), which replicas tail to share learned estimates.
 */
public final class OutcomeStore {

    public static final String OUTCOMES = "router:outcomes";
    public static final String FEEDBACK = "router:feedback";

    /**
     * Write once per request id, atomically: the index hash is the marker, so a record replayed after
     * a crash, or sent twice after a timeout, is not appended again.
     */
    private static final String WRITE_OUTCOME = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            local sid = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'id', ARGV[3], 'v', ARGV[4], 'origin', ARGV[11], 'record', ARGV[5])
            redis.call('HSET', KEYS[1], 'stream_id', sid, 'tenant', ARGV[6], 'expert', ARGV[7], 'domain', ARGV[8], 'status', ARGV[9], 'cost_usd', ARGV[10])
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            return 1
            """;

    /**
     * The feedback key is the lock: of two replicas rating the same request, one wins. A user's
     * rating still replaces a jury's (the jury only stands in for users who did not rate).
     */
    private static final String ADD_FEEDBACK = """
            local current = redis.call('GET', KEYS[1])
            if current and (ARGV[6] ~= 'USER' or not string.find(current, '"source":"JURY"', 1, true)) then return false end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
            return redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[3], '*', 'id', ARGV[4], 'origin', ARGV[5], 'feedback', ARGV[1])
            """;

    private final Redis redis;
    private final Duration timeout;

    public OutcomeStore(Redis redis, Duration timeout) {
        if (redis == null || timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a Redis client and a positive timeout are required");
        }
        this.redis = redis;
        this.timeout = timeout;
    }

    /** Thrown when Redis cannot be reached, errs or does not answer within the timeout. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One stream entry. */
    public record Entry(String id, Map<String, String> fields) {
    }

    /** What feedback needs of an outcome, from its index hash. */
    public record OutcomeIndex(String requestId, String tenant, String expert, String domain, int status, double costUsd) {

        /** The index of a record not yet in Redis (what the hash will hold). */
        public static OutcomeIndex of(OutcomeRecord o) {
            return new OutcomeIndex(o.requestId(), o.tenant(), o.expert(), o.domain(), o.status(), o.costUsd());
        }

        public boolean answered() {
            return status < 400 && expert != null && !expert.isEmpty();
        }
    }

    /**
     * One outcome to write: its encoded envelope, the index fields, and the writing instance's id
     * (also a stream field of its own, so a replica tailing the stream passes over its own entries
     * without decoding them).
     */
    public record Pending(String origin, OutcomeRecord outcome, String json) {
        public static Pending of(OutcomeCodec.Envelope envelope) {
            return new Pending(envelope.origin(), envelope.outcome(), OutcomeCodec.encode(envelope));
        }
    }

    /**
     * Writes outcomes in one pipelined round trip; returns how many were new (the rest were already
     * there). Either all were applied or an {@link Unavailable} is thrown and any subset may have
     * been: writing them again is safe.
     */
    public int writeOutcomes(List<Pending> batch, Duration retention, long maxLen) {
        if (batch.isEmpty()) {
            return 0;
        }
        List<Request> requests = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            OutcomeRecord o = p.outcome();
            requests.add(Request.cmd(Command.EVAL).arg(WRITE_OUTCOME).arg(2).arg(indexKey(o.requestId())).arg(OUTCOMES)
                    .arg(Math.max(1, retention.toSeconds())).arg(maxLen).arg(o.requestId()).arg(OutcomeCodec.VERSION)
                    .arg(p.json()).arg(o.tenant()).arg(nonNull(o.expert())).arg(nonNull(o.domain())).arg(o.status())
                    .arg(Double.toString(o.costUsd())).arg(nonNull(p.origin())));
        }
        int added = 0;
        for (Response r : await(redis.batch(requests), "write outcomes")) {
            added += r != null && r.toInteger() == 1 ? 1 : 0;
        }
        return added;
    }

    public Optional<OutcomeIndex> outcomeIndex(String requestId) {
        Map<String, String> h = fields(await(redis.send(Request.cmd(Command.HGETALL).arg(indexKey(requestId))), "read outcome index"));
        if (h.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OutcomeIndex(requestId, h.get("tenant"), emptyToNull(h.get("expert")),
                emptyToNull(h.get("domain")), Integer.parseInt(h.getOrDefault("status", "0")),
                Double.parseDouble(h.getOrDefault("cost_usd", "0"))));
    }

    /** A request's outcome as stored in the stream, while its index and stream entry both exist. */
    public Optional<OutcomeRecord> outcome(String requestId) {
        Response sid = await(redis.send(Request.cmd(Command.HGET).arg(indexKey(requestId)).arg("stream_id")), "read outcome index");
        if (sid == null) {
            return Optional.empty();
        }
        List<Entry> entry = rangeFrom(OUTCOMES, sid.toString(), 1);
        return entry.isEmpty() || !entry.get(0).id().equals(sid.toString()) ? Optional.empty()
                : Optional.of(OutcomeCodec.decode(entry.get(0).fields().get("record")).outcome());
    }

    /**
     * Stores a feedback unless the request has one (a user's replaces a jury's); returns its stream
     * id, or empty when it had one.
     */
    public Optional<String> addFeedback(Feedback f, String origin, Duration retention, Instant now) {
        long minId = Math.max(0, now.toEpochMilli() - retention.toMillis());
        Response r = await(redis.send(Request.cmd(Command.EVAL).arg(ADD_FEEDBACK).arg(2).arg(feedbackKey(f.requestId()))
                .arg(FEEDBACK).arg(OutcomeCodec.encode(f)).arg(Math.max(1, retention.toSeconds())).arg(minId)
                .arg(f.requestId()).arg(origin).arg(f.source().name())), "add feedback");
        return r == null ? Optional.empty() : Optional.of(r.toString());
    }

    /** The stored feedback of each request id, in order; empty where there is none. */
    public List<Optional<Feedback>> feedback(List<String> requestIds) {
        if (requestIds.isEmpty()) {
            return List.of();
        }
        Request mget = Request.cmd(Command.MGET);
        requestIds.forEach(id -> mget.arg(feedbackKey(id)));
        List<Optional<Feedback>> found = new ArrayList<>();
        for (Response r : await(redis.send(mget), "read feedback")) {
            found.add(r == null ? Optional.empty() : Optional.of(OutcomeCodec.decodeFeedback(r.toString())));
        }
        return found;
    }

    /** Entries after {@code afterId} (exclusive; {@code "-"} for the start), oldest first. */
    public List<Entry> range(String stream, String afterId, int count) {
        return rangeFrom(stream, "-".equals(afterId) ? "-" : "(" + afterId, count);
    }

    /** Entries from an XRANGE start ({@code "-"}, {@code "<ms>-0"}, {@code "(<id>"}), oldest first. */
    public List<Entry> rangeFrom(String stream, String start, int count) {
        return entries(await(redis.send(Request.cmd(Command.XRANGE).arg(stream).arg(start).arg("+").arg("COUNT").arg(count)),
                "read " + stream));
    }

    /** The newest {@code count} entries, newest first. */
    public List<Entry> newest(String stream, int count) {
        return entries(await(redis.send(Request.cmd(Command.XREVRANGE).arg(stream).arg("+").arg("-").arg("COUNT").arg(count)),
                "read " + stream));
    }

    /** The id of the stream's newest entry, or {@code "0-0"} for an empty or missing stream. */
    public String lastId(String stream) {
        List<Entry> newest = newest(stream, 1);
        return newest.isEmpty() ? "0-0" : newest.get(0).id();
    }

    /**
     * New entries of several streams after the given ids; streams without news are absent from the
     * answer. Never XREAD BLOCK: the Vert.x client pipelines pooled connections, so a blocked read
     * would hold up the commands queued behind it (measured: writes waited out the whole block).
     */
    public Map<String, List<Entry>> read(Map<String, String> after, int count) {
        Request xread = Request.cmd(Command.XREAD).arg("COUNT").arg(count).arg("STREAMS");
        after.keySet().forEach(xread::arg);
        after.values().forEach(xread::arg);
        Response r = await(redis.send(xread), "tail streams");
        Map<String, List<Entry>> news = new LinkedHashMap<>();
        if (r == null) {
            return news;
        }
        if (r.isMap()) {
            for (String stream : r.getKeys()) {
                news.put(stream, entries(r.get(stream)));
            }
        } else {
            for (Response s : r) {
                news.put(s.get(0).toString(), entries(s.get(1)));
            }
        }
        return news;
    }

    public long length(String stream) {
        return await(redis.send(Request.cmd(Command.XLEN).arg(stream)), "stream length").toLong();
    }

    public boolean ping() {
        try {
            return "PONG".equals(String.valueOf(await(redis.send(Request.cmd(Command.PING)), "ping")));
        } catch (Unavailable e) {
            return false;
        }
    }

    static String indexKey(String requestId) {
        return "router:outcome:" + requestId;
    }

    static String feedbackKey(String requestId) {
        return "router:feedback:" + requestId;
    }

    private <T> T await(io.vertx.core.Future<T> future, String what) {
        return await(future, what, timeout);
    }

    private static <T> T await(io.vertx.core.Future<T> future, String what, Duration limit) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Unavailable(what + ": no answer from Redis within " + limit.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new Unavailable(what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(what + ": interrupted", e);
        }
    }

    private static List<Entry> entries(Response r) {
        List<Entry> list = new ArrayList<>();
        if (r == null) {
            return list;
        }
        for (Response e : r) {
            list.add(new Entry(e.get(0).toString(), fields(e.get(1))));
        }
        return list;
    }

    private static Map<String, String> fields(Response r) {
        Map<String, String> map = new LinkedHashMap<>();
        if (r == null) {
            return map;
        }
        if (r.isMap()) {
            for (String k : r.getKeys()) {
                map.put(k, r.get(k).toString());
            }
        } else {
            for (int i = 0; i + 1 < r.size(); i += 2) {
                map.put(r.get(i).toString(), r.get(i + 1).toString());
            }
        }
        return map;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
