package dev.expertrouter.routing;

/**
 * The seam where the learned router plugs in: prompt in, domain probabilities out. Called on a
 * worker thread, never on the event loop, since embedding costs milliseconds of CPU.
 */
public interface PromptClassifier {

    Classification classify(ChatPrompt prompt);
}
