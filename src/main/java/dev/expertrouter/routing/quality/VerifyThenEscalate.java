package dev.expertrouter.routing.quality;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.routing.ChatPrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A policy's verify-then-escalate for one request: the draft expert goes first in the ranking,
 * and its answer, judged by its {@link AnswerVerifier}, is delivered or escalated down the rest of
 * the policy's ranking. Framework-free; the chat handler wires it into its fallback chain, and
 * {@code /v1/route} names the draft it would ask.
 *
 * @param ranked    the ranking to call: the draft first, then the policy's ranking without it
 * @param verifier  the draft's verifier
 * @param threshold an answer judged good with a lower probability is escalated
 */
public record VerifyThenEscalate(List<ExpertConfig> ranked, AnswerVerifier verifier, double threshold) {

    /** What the verifier made of the draft's answer. */
    public record Verdict(double probabilityGood, double[] checks, boolean accepted) {
    }

    /**
     * The plan for a request, when the policy asks for one and it can run: a whole answer (a
     * stream cannot be taken back once relayed), a request the policy routes, the draft eligible
     * with another expert to escalate to, and a verifier serving for the draft.
     */
    public static Optional<VerifyThenEscalate> plan(PolicyConfig.Verification verification, boolean forced, boolean stream,
            List<ExpertConfig> ranked, Function<String, Optional<AnswerVerifier>> verifiers) {
        if (!verification.enabled() || forced || stream || ranked.size() < 2) {
            return Optional.empty();
        }
        Optional<ExpertConfig> draft = ranked.stream().filter(e -> e.id().equals(verification.draft())).findFirst();
        if (draft.isEmpty()) {
            return Optional.empty();
        }
        return verifiers.apply(draft.get().id()).map(v -> {
            List<ExpertConfig> order = new ArrayList<>(ranked.size());
            order.add(draft.get());
            ranked.stream().filter(e -> e != draft.get()).forEach(order::add);
            return new VerifyThenEscalate(List.copyOf(order), v, verification.threshold());
        });
    }

    public String draft() {
        return ranked.get(0).id();
    }

    public Verdict judge(ChatPrompt prompt, JsonNode answerBody) {
        double[] checks = checks(prompt, answerBody);
        if (checks == null) {
            // no text to judge (a tool call, say): nothing says it is bad
            return new Verdict(Double.NaN, null, true);
        }
        double p = verifier.probability(checks);
        return new Verdict(p, checks, p >= threshold);
    }

    /**
     * {@link AnswerChecks} of a whole answer to the prompt's last user turn, or null when the
     * answer holds no text message.
     */
    public static double[] checks(ChatPrompt prompt, JsonNode answerBody) {
        JsonNode content = answerBody.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            return null;
        }
        return AnswerChecks.of(lastUserTurn(prompt), content.asText());
    }

    private static String lastUserTurn(ChatPrompt prompt) {
        List<ChatPrompt.Turn> turns = prompt.turns();
        for (int i = turns.size() - 1; i >= 0; i--) {
            if ("user".equals(turns.get(i).role())) {
                return turns.get(i).text();
            }
        }
        return "";
    }
}
