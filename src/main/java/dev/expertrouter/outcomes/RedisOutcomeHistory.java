package dev.expertrouter.outcomes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@link OutcomeHistory} over the {@code router:outcomes} stream: XRANGE from the stream id of
 * {@code since} (a record is written at or after the time it was made, so none made since then is
 * missed; older ones replayed late are filtered out), each page joined with its feedback in one MGET.
 * Blocking; throws {@link OutcomeStore.Unavailable} when Redis is away.
 */
public final class RedisOutcomeHistory implements OutcomeHistory {

    private static final Logger LOG = Logger.getLogger("dev.expertrouter.outcomes");
    private static final int PAGE = 500;

    private final OutcomeStore store;

    public RedisOutcomeHistory(OutcomeStore store) {
        this.store = store;
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
