package dev.expertrouter.outcomes.jury;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.GatewayClock;
import dev.expertrouter.config.ConfigHolder;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.experts.ExpertInvoker;
import dev.expertrouter.experts.ExpertReply;
import dev.expertrouter.outcomes.Feedback;
import dev.expertrouter.outcomes.FeedbackLearning;
import dev.expertrouter.outcomes.OutcomeListener;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.outcomes.OutcomeStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The jury in the gateway ({@code router.jury.*}, off by default): {@link JuryAnswerTap} keeps each
 * non-streamed answer until its outcome is recorded; then, on the event loop, the {@link JuryPanel}
 * only counts the spend and draws the sample (cheap); a sampled answer is rated by the judges on one
 * jury thread behind a bounded queue (a full queue drops it, counted), and the averaged score is
 * stored as feedback of source {@code jury} (which a user's rating later replaces) and learned by
 * this instance's estimates. Settings are checked at start-up, judges against experts.yaml.
 */
@ApplicationScoped
public class JuryService implements OutcomeListener {

    private static final Logger LOG = Logger.getLogger(JuryService.class);
    private static final String ORIGIN = "jury";

    /** A kept answer: the upstream request body (the prompt) and the expert's reply. */
    private record Kept(ObjectNode request, ExpertReply reply) {
    }

    private final RouterSettings.Jury settings;
    private final Duration retention;
    private final ConfigHolder config;
    private final Instance<ExpertInvoker> invoker;
    private final Instance<OutcomeStore> store;
    private final Instance<FeedbackLearning> learning;
    private final GatewayClock clock;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private final AtomicLong rated = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile JuryPanel panel;
    private volatile ThreadPoolExecutor worker;
    private int capacity;

    public JuryService(RouterSettings settings, ConfigHolder config, Instance<ExpertInvoker> invoker,
            Instance<OutcomeStore> store, Instance<FeedbackLearning> learning, GatewayClock clock) {
        this.settings = settings.jury();
        this.retention = settings.feedback().retention();
        this.config = config;
        this.invoker = invoker;
        this.store = store;
        this.learning = learning;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        List<String> ids = checked(settings, config.current().experts().stream().map(ExpertConfig::id).toList());
        if (ids.isEmpty()) {
            return;
        }
        double share = settings.sampleShare();
        List<Judge> judges = new ArrayList<>();
        for (String id : ids) {
            ExpertConfig expert = config.current().experts().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
            judges.add(new ExpertJudge(expert, invoker.get(), settings.judgeTimeout(), clock));
        }
        capacity = settings.queueSize() * 4;
        worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.queueSize()), r -> {
            Thread t = new Thread(r, "router-jury");
            t.setDaemon(true);
            return t;
        });
        panel = new JuryPanel(judges, share, settings.maxSpendShare(), () -> ThreadLocalRandom.current().nextLong(),
                clock.asClock());
        LOG.infof("jury of %s rates %.1f%% of answers, at most %.1f%% of traffic spend", ids, 100 * share,
                100 * settings.maxSpendShare());
    }

    /**
     * The judges' ids when the jury is on (sample-share > 0), empty when it is off.
     *
     * @throws IllegalArgumentException naming the setting, when one is out of range or a judge is no configured expert
     */
    public static List<String> checked(RouterSettings.Jury settings, List<String> experts) {
        double share = settings.sampleShare();
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("router.jury.sample-share must be in 0..1, got " + share);
        }
        if (share == 0) {
            return List.of();
        }
        if (!(settings.maxSpendShare() > 0 && settings.maxSpendShare() <= 1)) {
            throw new IllegalArgumentException("router.jury.max-spend-share must be in (0, 1], got " + settings.maxSpendShare());
        }
        if (settings.queueSize() < 1) {
            throw new IllegalArgumentException("router.jury.queue-size must be >= 1, got " + settings.queueSize());
        }
        if (settings.judgeTimeout().isNegative() || settings.judgeTimeout().isZero()) {
            throw new IllegalArgumentException("router.jury.judge-timeout must be positive, got " + settings.judgeTimeout());
        }
        List<String> ids = settings.judges().orElse(List.of());
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("router.jury.judges: the jury is on (sample-share " + share
                    + ") but names no judge expert");
        }
        for (String id : ids) {
            if (!experts.contains(id)) {
                throw new IllegalArgumentException("router.jury.judges: '" + id + "' is not an expert of experts.yaml");
            }
        }
        return List.copyOf(ids);
    }

    /** Whether answers are kept for the jury at all. */
    public boolean enabled() {
        return panel != null;
    }

    /** Keeps a non-streamed answer until its outcome arrives (bounded; the jury's own calls are not kept). */
    void answered(String requestId, ObjectNode request, ExpertReply reply) {
        if (panel == null || requestId == null || requestId.startsWith(ExpertJudge.REQUEST_PREFIX)) {
            return;
        }
        if (kept.size() < capacity || kept.containsKey(requestId)) {
            kept.put(requestId, new Kept(request, reply));
        }
    }

    @Override
    public void onOutcome(OutcomeRecord outcome) {
        JuryPanel jury = panel;
        if (jury == null) {
            return;
        }
        Kept taken = kept.remove(outcome.requestId());
        // an answer the client never got (a draft its verifier rejected) is not the one to rate
        Kept answer = taken != null && taken.reply().expert().equals(outcome.expert()) ? taken : null;
        LOG.debugf("jury: outcome of %s, answer kept: %s", outcome.requestId(), answer != null);
        if (!jury.admit(outcome, answer != null)) {
            return;
        }
        try {
            worker.execute(() -> rate(jury, outcome, answer));
        } catch (RejectedExecutionException full) {
            dropped.incrementAndGet();
        }
    }

    private void rate(JuryPanel jury, OutcomeRecord outcome, Kept answer) {
        try {
            Optional<Feedback> verdict = jury.rate(outcome, promptOf(answer.request()),
                    answer.reply().body().path("choices").path(0).path("message").path("content").asText(""));
            if (verdict.isEmpty()) {
                failed.incrementAndGet();
                LOG.debugf("jury: no judge voted on request %s", outcome.requestId());
                return;
            }
            Feedback f = verdict.get();
            if (store.get().addFeedback(f, ORIGIN, retention, f.time()).isPresent()) {
                learning.get().learn(f);
                rated.incrementAndGet();
                LOG.debugf("jury rated request %s (expert %s): %.2f", outcome.requestId(), outcome.expert(), f.score());
            }
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warnf("jury could not rate request %s: %s", outcome.requestId(), e.getMessage());
        }
    }

    /** The conversation as the judges read it: each turn's role and text. */
    public static String promptOf(ObjectNode request) {
        StringBuilder text = new StringBuilder();
        for (JsonNode m : request.path("messages")) {
            JsonNode content = m.path("content");
            String turn = content.isTextual() ? content.asText() : "";
            if (content.isArray()) {
                StringBuilder parts = new StringBuilder();
                content.forEach(p -> parts.append(p.path("text").asText("")));
                turn = parts.toString();
            }
            text.append(m.path("role").asText("user")).append(": ").append(turn).append('\n');
        }
        return text.toString().strip();
    }

    /** Answers rated, and ones not rated because the queue was full or no judge voted. */
    public long rated() {
        return rated.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long failed() {
        return failed.get();
    }

    public Optional<JuryPanel> panel() {
        return Optional.ofNullable(panel);
    }

    @PreDestroy
    void stop() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}
