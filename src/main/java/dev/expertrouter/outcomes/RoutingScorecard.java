package dev.expertrouter.outcomes;

import dev.expertrouter.routing.Classification;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * How well routing serves, per domain (the one the router chose) and expert, from outcomes and
 * feedback: cost per well-rated answer, the share of feedback that corrected the domain (a live
 * confusion signal), the traffic's class mix against the training mix (drift), and counterfactual
 * savings against each policy's reference expert. Kept as counters per (domain, expert), never as a
 * list of records, so its memory is bounded by the catalogue whatever the traffic.
 *
 * <p>Cost per well-rated answer is measured on the rated sample: the cost of the answers that got
 * feedback over how many of them were rated positive (score >= {@value #POSITIVE}). Dividing all
 * spend by positive ratings instead would make it depend on how often callers bother to rate.
 */
public final class RoutingScorecard {

    /** A score at or above this is a well-rated answer. */
    public static final double POSITIVE = 0.5;
    /** Upper bound on (domain, expert) cells; beyond it new pairs are not tracked (a catalogue is far smaller). */
    public static final int MAX_CELLS = 4096;

    private final ConcurrentHashMap<Cell.Key, Cell> cells = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> traffic = new ConcurrentHashMap<>();
    private final BiConsumer<String, String> onNewCell;
    private volatile TrainingMix training = TrainingMix.NONE;

    /** @param onNewCell told once per new (domain, expert) pair, e.g. to register its gauges */
    public RoutingScorecard(BiConsumer<String, String> onNewCell) {
        if (onNewCell == null) {
            throw new IllegalArgumentException("onNewCell is required (use (d, e) -> {} for none)");
        }
        this.onNewCell = onNewCell;
    }

    public RoutingScorecard() {
        this((d, e) -> {
        });
    }

    /** Counts a request: its domain in the traffic mix, and when it was answered, its spend and saving. */
    public void outcome(OutcomeRecord o) {
        if (!Classification.UNKNOWN_DOMAIN.equals(o.domain()) && (traffic.size() < MAX_CELLS || traffic.containsKey(o.domain()))) {
            traffic.computeIfAbsent(o.domain(), d -> new LongAdder()).increment();
        }
        if (!o.succeeded() || o.expert() == null) {
            return;
        }
        cell(o.domain(), o.expert()).ifPresent(c -> {
            c.answers.increment();
            c.spendUsd.add(o.costUsd());
            c.savedUsd.add(o.savedUsd());
        });
    }

    /**
     * Counts one rating of an answered request.
     *
     * @param routedDomain    the domain the router gave the request (the cell it is counted in)
     * @param correctedDomain the domain the rater gave instead, if any; counts as a correction when it differs
     * @param costUsd         what the rated answer cost
     */
    public void feedback(String expert, String routedDomain, Optional<String> correctedDomain, double score,
            double costUsd) {
        cell(routedDomain, expert).ifPresent(c -> {
            c.rated.increment();
            c.ratedSpendUsd.add(costUsd);
            if (score >= POSITIVE) {
                c.positive.increment();
            }
            if (correctedDomain.isPresent() && !correctedDomain.get().equals(routedDomain)) {
                c.corrections.increment();
            }
        });
    }

    /** The serving model's training mix, the drift baseline. */
    public void training(TrainingMix mix) {
        this.training = mix == null ? TrainingMix.NONE : mix;
    }

    public TrainingMix training() {
        return training;
    }

    /** Cost of rated answers over positively rated ones; empty until one is rated positive. */
    public OptionalDouble costPerGoodAnswerUsd(String domain, String expert) {
        Cell c = cells.get(new Cell.Key(domain, expert));
        return c == null ? OptionalDouble.empty() : c.costPerGoodAnswer();
    }

    /** Share of the ratings in this cell that named another domain; empty before any rating. */
    public OptionalDouble correctionShare(String domain, String expert) {
        Cell c = cells.get(new Cell.Key(domain, expert));
        return c == null ? OptionalDouble.empty() : c.correctionShare();
    }

    /** Share of classified requests (unknown excluded) routed as {@code domain}. */
    public double trafficShare(String domain) {
        long total = traffic.values().stream().mapToLong(LongAdder::sum).sum();
        LongAdder n = traffic.get(domain);
        return total == 0 || n == null ? 0 : n.sum() / (double) total;
    }

    public Snapshot snapshot() {
        List<Row> rows = new ArrayList<>();
        for (Cell c : cells.values()) {
            rows.add(new Row(c.key.domain(), c.key.expert(), c.answers.sum(), c.spendUsd.sum(), c.savedUsd.sum(),
                    c.rated.sum(), c.positive.sum(), c.corrections.sum(), c.costPerGoodAnswer(), c.correctionShare()));
        }
        rows.sort(Comparator.comparing(Row::domain).thenComparing(Row::expert));
        TrainingMix mix = training;
        TreeSet<String> domains = new TreeSet<>(traffic.keySet());
        domains.addAll(mix.counts().keySet());
        long total = traffic.values().stream().mapToLong(LongAdder::sum).sum();
        List<DomainMix> classMix = new ArrayList<>();
        for (String d : domains) {
            LongAdder n = traffic.get(d);
            long requests = n == null ? 0 : n.sum();
            classMix.add(new DomainMix(d, requests, total == 0 ? 0 : requests / (double) total,
                    mix.counts().getOrDefault(d, 0L), mix.share(d)));
        }
        return new Snapshot(rows, classMix, mix.version(), total);
    }

    private Optional<Cell> cell(String domain, String expert) {
        Cell.Key key = new Cell.Key(domain, expert);
        Cell existing = cells.get(key);
        if (existing != null) {
            return Optional.of(existing);
        }
        if (cells.size() >= MAX_CELLS) {
            return Optional.empty();
        }
        boolean[] created = {false};
        Cell c = cells.computeIfAbsent(key, k -> {
            created[0] = true;
            return new Cell(k);
        });
        if (created[0]) {
            onNewCell.accept(domain, expert);
        }
        return Optional.of(c);
    }

    /** Running sums of one (domain, expert) pair. */
    private static final class Cell {
        record Key(String domain, String expert) {
        }

        final Key key;
        final LongAdder answers = new LongAdder();
        final DoubleAdder spendUsd = new DoubleAdder();
        final DoubleAdder savedUsd = new DoubleAdder();
        final LongAdder rated = new LongAdder();
        final DoubleAdder ratedSpendUsd = new DoubleAdder();
        final LongAdder positive = new LongAdder();
        final LongAdder corrections = new LongAdder();

        Cell(Key key) {
            this.key = key;
        }

        OptionalDouble costPerGoodAnswer() {
            long good = positive.sum();
            return good == 0 ? OptionalDouble.empty() : OptionalDouble.of(ratedSpendUsd.sum() / good);
        }

        OptionalDouble correctionShare() {
            long n = rated.sum();
            return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(corrections.sum() / (double) n);
        }
    }

    /**
     * One (domain, expert) pair.
     *
     * @param domain               the domain the router chose
     * @param answers              answered requests
     * @param spendUsd             their cost
     * @param savedUsd             their counterfactual saving against the policy's reference expert
     * @param rated                answers that got feedback
     * @param positive             of those, rated >= {@value RoutingScorecard#POSITIVE}
     * @param corrections          of those, rated with another domain
     * @param costPerGoodAnswerUsd cost of the rated answers over the positive ones
     * @param correctionShare      corrections over rated
     */
    public record Row(String domain, String expert, long answers, double spendUsd, double savedUsd, long rated,
            long positive, long corrections, OptionalDouble costPerGoodAnswerUsd, OptionalDouble correctionShare) {
    }

    /** A domain's share of the traffic and of the training examples. */
    public record DomainMix(String domain, long requests, double trafficShare, long trainingExamples,
            double trainingShare) {
    }

    /** Everything at one instant. */
    public record Snapshot(List<Row> rows, List<DomainMix> classMix, String trainingVersion, long classifiedRequests) {
        public Snapshot {
            rows = List.copyOf(rows);
            classMix = List.copyOf(classMix);
        }

        public Map<String, DomainMix> mixByDomain() {
            Map<String, DomainMix> m = new java.util.LinkedHashMap<>();
            classMix.forEach(d -> m.put(d.domain(), d));
            return m;
        }
    }
}
