package dev.expertrouter.routing.serving;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.PromptClassifier;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Classifies prompts "for the record", after their answer has left: a forced request
 * ({@code model: <expert id>}) needs no routing decision, but the learning loop still wants its
 * embedding and domain scores. One low-priority thread drains a bounded queue and, after each
 * classification, rests in proportion to the CPU it just used, so it takes at most
 * {@code cpuShare} of one core away from the request path. When the queue is full the prompt is
 * dropped (counted), never queued without bound: under overload the answers win.
 *
 * <p>Plain Java: the clock and the rest are injected, so tests drive it without sleeping.
 */
public final class RecordClassifier implements AutoCloseable {

    /** What to do with a prompt's classification; {@code null} when it failed. */
    private record Job(ChatPrompt prompt, Consumer<Classification> done) {
    }

    private final PromptClassifier classifier;
    private final BlockingQueue<Job> queue;
    private final double cpuShare;
    private final LongSupplier nanoTime;
    private final LongConsumer rest;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong classified = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;

    /**
     * @param capacity prompts waiting at most; beyond it new ones are dropped
     * @param cpuShare share of one core the worker may use, in (0, 1]
     */
    public RecordClassifier(PromptClassifier classifier, int capacity, double cpuShare) {
        this(classifier, capacity, cpuShare, System::nanoTime, RecordClassifier::parkNanos, true);
    }

    RecordClassifier(PromptClassifier classifier, int capacity, double cpuShare, LongSupplier nanoTime, LongConsumer rest,
            boolean start) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        if (!(cpuShare > 0 && cpuShare <= 1)) {
            throw new IllegalArgumentException("cpuShare must be in (0, 1], was " + cpuShare);
        }
        this.classifier = classifier;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.cpuShare = cpuShare;
        this.nanoTime = nanoTime;
        this.rest = rest;
        this.worker = new Thread(this::drain, "router-record-classifier");
        worker.setDaemon(true);
        worker.setPriority(Thread.MIN_PRIORITY);
        if (start) {
            worker.start();
        }
    }

    /**
     * Queues the prompt; {@code done} later gets its classification (or null when classifying
     * failed) on the worker thread. Returns false, and counts a drop, when the queue is full.
     */
    public boolean submit(ChatPrompt prompt, Consumer<Classification> done) {
        if (closed || !queue.offer(new Job(prompt, done))) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Prompts dropped because the queue was full (or the classifier closed). */
    public long dropped() {
        return dropped.get();
    }

    public long classified() {
        return classified.get();
    }

    public int waiting() {
        return queue.size();
    }

    /** How long to rest after {@code busyNanos} of work so the worker stays within its share. */
    static long restNanos(long busyNanos, double cpuShare) {
        return busyNanos <= 0 ? 0 : (long) (busyNanos * (1 / cpuShare - 1));
    }

    /** Runs one queued job, if any, then rests; false when the queue was empty. Tests call this directly. */
    boolean runOne() {
        Job job = queue.poll();
        if (job == null) {
            return false;
        }
        run(job);
        return true;
    }

    private void run(Job job) {
        long t0 = nanoTime.getAsLong();
        Classification c;
        try {
            c = classifier.classify(job.prompt());
            classified.incrementAndGet();
        } catch (RuntimeException e) {
            c = null;
        }
        try {
            job.done().accept(c);
        } finally {
            rest.accept(restNanos(nanoTime.getAsLong() - t0, cpuShare));
        }
    }

    private void drain() {
        while (!closed) {
            try {
                Job next = queue.poll(200, TimeUnit.MILLISECONDS);
                if (next != null) {
                    run(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a listener that throws must not stop the worker; the job is done either way
            }
        }
    }

    private static void parkNanos(long nanos) {
        if (nanos > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(nanos);
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
