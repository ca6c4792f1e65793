package dev.expertrouter.routing.serving;

import dev.expertrouter.outcomes.OutcomeListener;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.routing.classifier.RouterModel;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * A candidate router scoring live traffic beside the serving one without deciding anything. After
 * a request is decided, its outcome (which carries the prompt's embedding, so nothing is embedded
 * twice) is sampled at {@code share} and queued; one low-priority thread re-classifies queued
 * embeddings with the shadow model and counts agreement with the serving router's domain and the
 * shadow's would-be decisions. A full queue drops the outcome and counts it: serving never waits.
 * Framework-free; {@link RoutingBeans} makes it the outcome path's listener.
 */
public final class ShadowRouter implements OutcomeListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ShadowRouter.class);

    /** What the shadow saw: outcomes scored, agreements, drops, and would-be domains. */
    public record Stats(String version, double share, long scored, long agreed, long dropped, long skipped,
            Map<String, Long> wouldBeDomains, Map<String, Long> disagreements) {

        public double agreementRate() {
            return scored == 0 ? 0 : (double) agreed / scored;
        }
    }

    private final double share;
    private final BlockingQueue<OutcomeRecord> queue;
    private final Thread worker;
    private volatile Tally tally;

    /** @param share outcomes scored, 0..1 */
    public ShadowRouter(double share, int queueSize) {
        if (!(share >= 0 && share <= 1) || queueSize < 1) {
            throw new IllegalArgumentException("router.shadow.share must be within [0, 1] and router.shadow.queue-size >= 1; were "
                    + share + " and " + queueSize);
        }
        this.share = share;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.worker = new Thread(this::drain, "router-shadow");
        worker.setDaemon(true);
        worker.setPriority(Thread.MIN_PRIORITY);
        worker.start();
    }

    /** Shadows {@code model} from now on, with fresh counts; {@code null} stops shadowing. */
    public void shadow(RouterModel model) {
        tally = model == null ? null : new Tally(model);
        if (model != null) {
            LOG.infof("router model %s shadows %.0f %% of traffic", model.version(), share * 100);
        }
    }

    public java.util.Optional<Stats> stats() {
        Tally t = tally;
        return t == null ? java.util.Optional.empty() : java.util.Optional.of(t.stats(share));
    }

    @Override
    public void onOutcome(OutcomeRecord outcome) {
        Tally t = tally;
        if (t == null || share == 0 || outcome.embedding() == null) {
            return;
        }
        if (!t.model.embedderId().equals(outcome.embedderId()) || outcome.embedding().length != t.model.inputSize()) {
            t.skipped.increment();
            return;
        }
        // Sampled by request id, so the same requests are shadowed however often they are replayed.
        if ((outcome.requestId().hashCode() & 0x7fffffff) % 10_000 >= share * 10_000) {
            return;
        }
        if (!queue.offer(outcome)) {
            t.dropped.increment();
        }
    }

    private void drain() {
        while (!Thread.currentThread().isInterrupted()) {
            OutcomeRecord outcome;
            try {
                outcome = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            Tally t = tally;
            if (outcome == null || t == null) {
                continue;
            }
            try {
                t.score(outcome);
            } catch (RuntimeException e) {
                t.skipped.increment();
                LOG.debugf(e, "shadow could not score %s", outcome.requestId());
            }
        }
    }

    @Override
    public void close() {
        worker.interrupt();
    }

    /** The counts of one shadow version. */
    private static final class Tally {

        final RouterModel model;
        final AtomicLong scored = new AtomicLong();
        final LongAdder agreed = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final Map<String, LongAdder> wouldBe = new ConcurrentHashMap<>();
        final Map<String, LongAdder> disagreements = new ConcurrentHashMap<>();

        Tally(RouterModel model) {
            this.model = model;
        }

        void score(OutcomeRecord outcome) {
            double[] p = model.probabilities(outcome.embedding());
            int best = 0;
            for (int d = 1; d < p.length; d++) {
                if (p[d] > p[best]) {
                    best = d;
                }
            }
            String domain = model.labels().get(best);
            wouldBe.computeIfAbsent(domain, d -> new LongAdder()).increment();
            if (domain.equals(outcome.domain())) {
                agreed.increment();
            } else {
                disagreements.computeIfAbsent(outcome.domain() + "->" + domain, d -> new LongAdder()).increment();
            }
            scored.incrementAndGet();
        }

        Stats stats(double share) {
            Map<String, Long> domains = new TreeMap<>();
            wouldBe.forEach((d, n) -> domains.put(d, n.sum()));
            Map<String, Long> flips = new TreeMap<>();
            disagreements.forEach((d, n) -> flips.put(d, n.sum()));
            return new Stats(model.version(), share, scored.get(), agreed.sum(), dropped.sum(), skipped.sum(), domains, flips);
        }
    }
}
