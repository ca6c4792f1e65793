package dev.expertrouter.outcomes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps this instance's learned estimates in step with every replica's: at start-up it replays the
 * {@code router:feedback} stream (bounded by the feedback retention) and the newest outcomes of
 * {@code router:outcomes} (latency and answer length), then tails both streams with XREAD (polled) from
 * the last entry it applied. Entries this instance wrote itself are skipped: it learned from them when
 * they happened. Runs on its own thread; while Redis is away it retries with backoff.
 */
public final class ExpertStatsFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.expertrouter.outcomes");
    private static final int PAGE = 500;
    /** How often the streams are polled: the lag of one replica's feedback reaching the others. */
    private static final Duration POLL = Duration.ofMillis(250);

    private final OutcomeStore store;
    private final FeedbackLearning learning;
    private final String origin;
    private final int outcomesAtStart;
    private final Duration maxBackoff;
    private final Thread thread;
    private final AtomicLong feedbackApplied = new AtomicLong();
    private final AtomicLong outcomesApplied = new AtomicLong();
    private final AtomicLong ownOutcomesPassed = new AtomicLong();

    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile String lastError;
    private String lastFeedback;
    private String lastOutcome;

    /**
     * @param outcomesAtStart how many of the newest outcomes teach latency and answer length at start-up
     */
    public ExpertStatsFeed(OutcomeStore store, FeedbackLearning learning, String origin, int outcomesAtStart, Duration maxBackoff) {
        this.store = store;
        this.learning = learning;
        this.origin = origin;
        this.outcomesAtStart = outcomesAtStart;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::run, "expert-stats-feed");
        thread.setDaemon(true);
    }

    public ExpertStatsFeed start() {
        thread.start();
        return this;
    }

    /** Whether the start-up replay is done (estimates reflect everything stored up to then). */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why the last poll of Redis failed, or null when it succeeded: Redis seen from the read side. */
    public String lastError() {
        return lastError;
    }

    /** Feedback entries of other instances applied so far (each once). */
    public long feedbackApplied() {
        return feedbackApplied.get();
    }

    public long outcomesApplied() {
        return outcomesApplied.get();
    }

    /** This instance's own outcomes passed over by the stream's {@code origin} field, never decoded. */
    public long ownOutcomesPassed() {
        return ownOutcomesPassed.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }

    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try {
                if (!caughtUp) {
                    replayStored();
                    caughtUp = true;
                    LOG.infof("learned estimates rebuilt from Redis: %d feedback, %d outcomes", feedbackApplied.get(), outcomesApplied.get());
                }
                Map<String, String> after = new LinkedHashMap<>();
                after.put(OutcomeStore.FEEDBACK, lastFeedback);
                after.put(OutcomeStore.OUTCOMES, lastOutcome);
                Map<String, List<OutcomeStore.Entry>> news = store.read(after, PAGE);
                news.getOrDefault(OutcomeStore.FEEDBACK, List.of()).forEach(this::applyFeedback);
                news.getOrDefault(OutcomeStore.OUTCOMES, List.of()).forEach(this::applyOutcome);
                backoff = Duration.ofMillis(100);
                lastError = null;
                if (news.values().stream().allMatch(l -> l.size() < PAGE)) {
                    pause(POLL);
                }
            } catch (OutcomeStore.Unavailable e) {
                lastError = e.getMessage();
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                LOG.errorf("learned estimates feed: %s", e.toString());
                pause(maxBackoff);
            }
        }
    }

    private void replayStored() {
        List<OutcomeStore.Entry> newest = new ArrayList<>(store.newest(OutcomeStore.OUTCOMES, outcomesAtStart));
        lastOutcome = newest.isEmpty() ? "0-0" : newest.get(0).id();
        Collections.reverse(newest);
        newest.forEach(this::applyOutcome);
        lastFeedback = "0-0";
        for (List<OutcomeStore.Entry> page; !(page = store.range(OutcomeStore.FEEDBACK, lastFeedback.equals("0-0") ? "-" : lastFeedback, PAGE)).isEmpty(); ) {
            page.forEach(this::applyFeedback);
        }
    }

    private void applyFeedback(OutcomeStore.Entry e) {
        lastFeedback = e.id();
        if (writtenHere(e)) {
            return;
        }
        try {
            learning.learn(OutcomeCodec.decodeFeedback(e.fields().get("feedback")));
            feedbackApplied.incrementAndGet();
        } catch (RuntimeException bad) {
            LOG.warnf("feedback entry %s skipped: %s", e.id(), bad.getMessage());
        }
    }

    private void applyOutcome(OutcomeStore.Entry e) {
        lastOutcome = e.id();
        if (writtenHere(e)) {
            ownOutcomesPassed.incrementAndGet(); // not decoded: a 384-float embedding in JSON is most of this thread's CPU
            return;
        }
        try {
            OutcomeCodec.Envelope env = OutcomeCodec.decode(e.fields().get("record"));
            if (!origin.equals(env.origin())) {
                learning.learn(env.outcome());
                outcomesApplied.incrementAndGet();
            }
        } catch (RuntimeException bad) {
            LOG.warnf("outcome entry %s skipped: %s", e.id(), bad.getMessage());
        }
    }

    /** Whether this instance wrote the entry, by the stream field both streams carry. */
    private boolean writtenHere(OutcomeStore.Entry e) {
        return origin.equals(e.fields().get("origin"));
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
