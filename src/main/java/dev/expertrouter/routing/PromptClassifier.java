package dev.expertrouter.routing;

/**
 * The seam where the learned router plugs in: prompt in, domain probabilities out. Called on a
 * worker thread, never on the event loop, since embedding costs milliseconds of CPU.
 */
public interface PromptClassifier {

    Classification classify(ChatPrompt prompt);

    /**
     * Classifies {@code prompt} and its last user turn {@code turn} (a prompt of that one turn) as
     * read inside the prompt's routed text, for conversation affinity to tell a topic change from a
     * follow-up. A classifier that can read the turn in the same pass does; this default classifies
     * the turn on its own.
     */
    default TurnClassification classifyInContext(ChatPrompt prompt, ChatPrompt turn) {
        return new TurnClassification(classify(prompt), classify(turn));
    }
}
