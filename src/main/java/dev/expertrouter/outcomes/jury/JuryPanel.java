package dev.expertrouter.outcomes.jury;

import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.routing.Classification;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Scores a sample of answered requests with a panel of cheap judges and averages their votes
 * (several small judges agree with the truth better than one big one), as feedback of source
 * {@link Feedback.Source#JURY}, which training weighs below user feedback. Spend is bounded: the
 * jury may cost at most {@code maxSpendShare} of the traffic spend seen so far, checked against the
 * panel's last cost before each sample. Framework-free; the caller runs it off the event loop.
 */
public final class JuryPanel {

    private final List<Judge> judges;
    private final double sampleShare;
    private final double maxSpendShare;
    private final RandomGenerator random;
    private final Clock clock;
    private double trafficUsd;
    private double juryUsd;
    private double lastPanelUsd;
    private long overBudget;

    public JuryPanel(List<Judge> judges, double sampleShare, double maxSpendShare, RandomGenerator random, Clock clock) {
        if (judges.isEmpty()) {
            throw new IllegalArgumentException("a jury needs at least one judge");
        }
        if (!(sampleShare >= 0 && sampleShare <= 1) || !(maxSpendShare >= 0 && maxSpendShare <= 1)) {
            throw new IllegalArgumentException("sample and spend shares must be in 0..1");
        }
        this.judges = List.copyOf(judges);
        this.sampleShare = sampleShare;
        this.maxSpendShare = maxSpendShare;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Considers one answered request: counts its spend, and when sampled and within budget has the
     * panel rate it. Empty when not sampled, over budget, failed, or no judge voted.
     */
    public Optional<Feedback> consider(OutcomeRecord outcome, String prompt, String answer) {
        return admit(outcome, prompt != null && answer != null) ? rate(outcome, prompt, answer) : Optional.empty();
    }

    /**
     * The cheap half, for the caller's thread: counts the request's spend and says whether the
     * panel should rate it (answered, an answer to rate, sampled, and the jury within its budget).
     */
    public synchronized boolean admit(OutcomeRecord outcome, boolean hasAnswer) {
        trafficUsd += Math.max(0, outcome.costUsd());
        if (!outcome.succeeded() || !hasAnswer || random.nextDouble() >= sampleShare) {
            return false;
        }
        if (juryUsd + lastPanelUsd > maxSpendShare * trafficUsd) {
            overBudget++;
            return false;
        }
        return true;
    }

    /** Sampled answers left unrated because the jury had spent its share. */
    public synchronized long overBudget() {
        return overBudget;
    }

    /** The costly half, off the event loop: asks every judge and averages the votes. */
    public Optional<Feedback> rate(OutcomeRecord outcome, String prompt, String answer) {
        List<Double> votes = new ArrayList<>();
        double cost = 0;
        for (Judge j : judges) {
            Optional<Judge.Verdict> v = j.judge(prompt, answer);
            if (v.isPresent()) {
                votes.add(v.get().score());
                cost += v.get().costUsd();
            }
        }
        synchronized (this) {
            juryUsd += cost;
            lastPanelUsd = cost;
        }
        if (votes.isEmpty()) {
            return Optional.empty();
        }
        double mean = votes.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        // an outcome without a domain (a forced request whose classification for the record was dropped)
        // is still rated; the stored feedback needs a routed domain
        String domain = outcome.domain() == null ? Classification.UNKNOWN_DOMAIN : outcome.domain();
        return Optional.of(new Feedback(outcome.requestId(), outcome.tenant(), outcome.expert(), domain,
                Optional.empty(), mean, Feedback.Source.JURY, clock.instant()));
    }

    public synchronized double juryUsd() {
        return juryUsd;
    }

    public synchronized double trafficUsd() {
        return trafficUsd;
    }
}
