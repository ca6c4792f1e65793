package dev.expertrouter.outcomes;

import dev.expertrouter.GatewayClock;
import dev.expertrouter.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Outcomes to the Redis stream {@code router:outcomes}, off the request path. {@link #record} only
 * offers to a bounded queue; one writer thread drains it to Redis in pipelined batches. While Redis
 * fails or is slow the batches go to the {@link OutcomeSpool}, and so does everything after them until
 * the spool is replayed, so the stream keeps the order records were made in. A full queue sends a
 * record straight to the spool (the request path then pays one buffered file write, never a drop).
 * Writes are idempotent by request id ({@link OutcomeStore}), which makes replay after a crash safe.
 */
public final class RedisOutcomeSink implements OutcomeSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.expertrouter.outcomes");
    private static final int BATCH = 256;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    /** What the writer needs to know besides its collaborators. */
    public record Settings(int queueCapacity, Duration retention, long streamMaxLen, Duration maxBackoff) {
        public Settings {
            if (queueCapacity < 1 || streamMaxLen < 1 || retention.isNegative() || retention.isZero()
                    || maxBackoff.isNegative() || maxBackoff.isZero()) {
                throw new IllegalArgumentException("queue capacity, stream max length, retention and max backoff must be positive: " + this);
            }
        }
    }

    /** The sink's view for health: is Redis taking writes, and what waits. */
    public record State(boolean redisReachable, long queued, long spooled, String lastError) {
    }

    private final OutcomeStore store;
    private final OutcomeSpool spool;
    private final Settings settings;
    private final GatewayClock clock;
    private final String origin;
    private final Predicate<String> storesPrompts;
    private final BlockingQueue<OutcomeRecord> queue;
    private final RecentOutcomes recent = new RecentOutcomes(10_000);
    private final Thread writer;
    private final Counter written;
    private final Counter failures;
    private final Counter replayed;
    private final Counter torn;

    private volatile boolean running = true;
    private volatile boolean redisReachable = true;
    private volatile String lastError;
    private long nextAttemptMillis;
    private Duration backoff = FIRST_BACKOFF;

    /**
     * @param origin        this instance's id, written with each record so replicas tailing the stream
     *                      skip what this one learned from already
     * @param storesPrompts whether a tenant allows storing prompt text; the text of others is dropped here
     */
    public RedisOutcomeSink(OutcomeStore store, OutcomeSpool spool, Settings settings, GatewayClock clock, String origin,
            Predicate<String> storesPrompts, MeterRegistry registry) {
        this.store = store;
        this.spool = spool;
        this.settings = settings;
        this.clock = clock;
        this.origin = origin;
        this.storesPrompts = storesPrompts;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        Gauge.builder(MetricNames.OUTCOME_QUEUE_DEPTH, queue, BlockingQueue::size).register(registry);
        Gauge.builder(MetricNames.OUTCOME_SPOOL_DEPTH, spool, OutcomeSpool::depth).register(registry);
        this.written = registry.counter(MetricNames.OUTCOMES_WRITTEN);
        this.failures = registry.counter(MetricNames.OUTCOME_WRITE_FAILURES);
        this.replayed = registry.counter(MetricNames.OUTCOMES_REPLAYED);
        this.torn = registry.counter(MetricNames.OUTCOME_SPOOL_TORN);
        this.writer = new Thread(this::run, "outcome-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void record(OutcomeRecord outcome) {
        OutcomeRecord o = outcome.promptText() != null && !storesPrompts.test(outcome.tenant()) ? outcome.withoutPromptText() : outcome;
        recent.add(o);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("outcome request_id=%s tenant=%s policy=%s router=%s domain=%s confidence=%.3f expert=%s fallbacks=%d status=%d error=%s latency_ms=%d tokens=%d/%d cost_usd=%.6f",
                    o.requestId(), o.tenant(), o.policy(), o.routerVersion(), o.domain(), o.confidence(), o.expert(),
                    o.fallbacks().size(), o.status(), o.errorCode(), o.latencyMs(), o.promptTokens(), o.completionTokens(), o.costUsd());
        }
        if (running && queue.offer(o)) {
            return;
        }
        try {
            // overload or shutdown: a buffered append; the writer's next sync makes it durable
            spool.append(List.of(encode(o)), !running);
        } catch (IOException e) {
            LOG.errorf("outcome %s lost: the queue is full and the spool cannot be written: %s", o.requestId(), e.getMessage());
        }
    }

    /** The index of this instance's outcome of a request, while it is among the recent ones (written or not). */
    public Optional<OutcomeStore.OutcomeIndex> find(String requestId) {
        return recent.find(requestId);
    }

    public String origin() {
        return origin;
    }

    public State state() {
        return new State(redisReachable, queue.size(), spool.depth(), lastError);
    }

    /** Stops the writer after it has put every queued record in Redis or the spool. */
    @Override
    public void close() {
        running = false;
        // not interrupted: an interrupt mid-write would close the spool's file channel
        try {
            writer.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<OutcomeRecord> left = new ArrayList<>();
        queue.drainTo(left);
        try {
            toSpool(left);
            spool.close();
        } catch (IOException e) {
            LOG.errorf("%d outcomes could not be spooled at shutdown: %s", left.size(), e.getMessage());
        }
    }

    private void run() {
        List<OutcomeRecord> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                if (spool.depth() > 0) {
                    drainQueueToSpool(batch);
                    if (due()) {
                        replayOldest();
                    } else {
                        waitForWork(batch);
                    }
                    continue;
                }
                OutcomeRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    spool.sync();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                if (!due() || !write(batch)) {
                    toSpool(batch);
                }
                batch.clear();
                spool.sync();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (IOException | RuntimeException e) {
                LOG.errorf("outcome writer: %s (retrying)", e.toString());
                batch.clear();
            }
        }
        // close() drains what is left into the spool
    }

    private boolean write(List<OutcomeRecord> batch) {
        List<OutcomeStore.Pending> pending = new ArrayList<>(batch.size());
        for (OutcomeRecord o : batch) {
            pending.add(new OutcomeStore.Pending(origin, o, encode(o)));
        }
        try {
            store.writeOutcomes(pending, settings.retention(), settings.streamMaxLen());
            written.increment(batch.size());
            succeeded();
            return true;
        } catch (OutcomeStore.Unavailable e) {
            failed(e);
            return false;
        }
    }

    private void replayOldest() throws IOException {
        Optional<OutcomeSpool.Segment> oldest = spool.oldest();
        if (oldest.isEmpty()) {
            return;
        }
        OutcomeSpool.Segment segment = oldest.get();
        List<OutcomeStore.Pending> batch = new ArrayList<>(BATCH);
        int unreadable = segment.torn();
        try {
            for (String line : segment.records()) {
                try {
                    OutcomeCodec.Envelope spooled = OutcomeCodec.decode(line);
                    batch.add(new OutcomeStore.Pending(spooled.origin(), spooled.outcome(), line));
                } catch (RuntimeException e) {
                    unreadable++;
                }
                if (batch.size() == BATCH) {
                    replay(batch);
                }
            }
            replay(batch);
        } catch (OutcomeStore.Unavailable e) {
            failed(e);
            return;
        }
        if (unreadable > 0) {
            torn.increment(unreadable);
            LOG.warnf("outcome spool %s: %d torn or unreadable line(s) skipped", segment.path().getFileName(), unreadable);
        }
        spool.delete(segment);
        succeeded();
        LOG.infof("outcome spool %s replayed: %d records, %d left in the spool", segment.path().getFileName(),
                segment.records().size(), spool.depth());
    }

    private void replay(List<OutcomeStore.Pending> batch) {
        if (!batch.isEmpty()) {
            store.writeOutcomes(batch, settings.retention(), settings.streamMaxLen());
            replayed.increment(batch.size());
            written.increment(batch.size());
            batch.clear();
        }
    }

    private void drainQueueToSpool(List<OutcomeRecord> batch) throws IOException {
        while (queue.drainTo(batch, BATCH) > 0) {
            toSpool(batch);
            batch.clear();
        }
        spool.sync();
    }

    private void waitForWork(List<OutcomeRecord> batch) throws InterruptedException, IOException {
        long waitMs = Math.max(1, Math.min(200, nextAttemptMillis - clock.now().toEpochMilli()));
        OutcomeRecord next = queue.poll(waitMs, TimeUnit.MILLISECONDS);
        if (next != null) {
            batch.add(next);
            toSpool(batch);
            batch.clear();
        }
    }

    private void toSpool(List<OutcomeRecord> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>(batch.size());
        for (OutcomeRecord o : batch) {
            lines.add(encode(o));
        }
        spool.append(lines, true);
    }

    private boolean due() {
        return clock.now().toEpochMilli() >= nextAttemptMillis;
    }

    private void succeeded() {
        if (!redisReachable) {
            LOG.info("outcome log: Redis takes writes again");
        }
        redisReachable = true;
        lastError = null;
        backoff = FIRST_BACKOFF;
    }

    private void failed(RuntimeException e) {
        failures.increment();
        if (redisReachable) {
            LOG.warnf("outcome log: Redis write failed, spooling to disk until it returns: %s", e.getMessage());
        }
        redisReachable = false;
        lastError = e.getMessage();
        nextAttemptMillis = clock.now().toEpochMilli() + backoff.toMillis();
        backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : backoff.multipliedBy(2);
    }

    private String encode(OutcomeRecord o) {
        return OutcomeCodec.encode(new OutcomeCodec.Envelope(origin, o));
    }

}
