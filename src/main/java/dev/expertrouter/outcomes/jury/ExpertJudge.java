package dev.expertrouter.outcomes.jury;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.GatewayClock;
import dev.expertrouter.Json;
import dev.expertrouter.Sha256;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.experts.Deadline;
import dev.expertrouter.experts.ExpertInvoker;
import dev.expertrouter.experts.ExpertReply;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A configured expert acting as a judge: asked, through the gateway's own expert invoker, to grade
 * an answer from 0 to 10; the first number of its reply, divided by 10, is its vote, and the call's
 * cost at the expert's price is what the vote cost. A reply without a grade is no vote.
 *
 * <p>A simulated expert is asked too (so a judge call costs, waits and fails like any call), but
 * its canned text holds no grade: it then votes a deterministic score derived from the sha256 of
 * its id, the prompt and the answer. That keeps the jury's path (sampling, budget, queue, feedback)
 * running with no network; it is no judgement of the answer. How well judges agree with real
 * correctness is measured on GSM8K by {@code bench/perceptive}'s JuryAgreement.
 */
public final class ExpertJudge implements Judge {

    private static final Logger LOG = Logger.getLogger(ExpertJudge.class);
    /** Request ids of judge calls start with this, so the jury never taps its own calls. */
    public static final String REQUEST_PREFIX = "jury-";
    private static final Pattern GRADE = Pattern.compile("(?<![\\w.])(10|[0-9])(?:\\.\\d+)?(?![\\w])");
    private static final int MAX_TEXT = 4000;

    private final ExpertConfig expert;
    private final ExpertInvoker invoker;
    private final Duration timeout;
    private final GatewayClock clock;

    public ExpertJudge(ExpertConfig expert, ExpertInvoker invoker, Duration timeout, GatewayClock clock) {
        this.expert = expert;
        this.invoker = invoker;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public String id() {
        return expert.id();
    }

    @Override
    public Optional<Verdict> judge(String prompt, String answer) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", expert.model());
        body.put("max_tokens", 4);
        body.put("temperature", 0);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content",
                "You grade answers. Reply with one integer from 0 (wrong or useless) to 10 (correct and complete), nothing else.");
        messages.addObject().put("role", "user").put("content",
                "Question:\n" + bounded(prompt) + "\n\nAnswer:\n" + bounded(answer) + "\n\nGrade (0-10):");
        ExpertReply reply;
        try {
            reply = invoker.complete(expert, body, REQUEST_PREFIX + UUID.randomUUID(), new Deadline(clock::nanoTime, timeout))
                    .await().atMost(timeout.plusSeconds(1));
        } catch (RuntimeException failed) {
            LOG.debugf("judge %s did not answer: %s", expert.id(), failed.toString());
            return Optional.empty(); // a judge that fails or times out does not vote
        }
        double cost = expert.price().costUsd(reply.usage().promptTokens(), reply.usage().completionTokens());
        String text = reply.body().path("choices").path(0).path("message").path("content").asText("");
        Matcher m = GRADE.matcher(text);
        if (m.find()) {
            return Optional.of(new Verdict(Math.min(10, Double.parseDouble(m.group())) / 10, cost));
        }
        if (expert.simulated().isPresent()) {
            return Optional.of(new Verdict(simulatedScore(expert.id(), prompt, answer), cost));
        }
        return Optional.empty();
    }

    /** A simulated judge's vote: 0, 0.1, ... 1, fixed by its id, the prompt and the answer. */
    public static double simulatedScore(String judge, String prompt, String answer) {
        return Long.parseLong(Sha256.hex(judge + "\n" + prompt + "\n" + answer).substring(0, 8), 16) % 11 / 10.0;
    }

    private static String bounded(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }
}
