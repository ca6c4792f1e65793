package dev.expertrouter.routing;

/** The classifier before any router model serves: every prompt is {@code unknown}. */
public final class UnknownClassifier implements PromptClassifier {

    @Override
    public Classification classify(ChatPrompt prompt) {
        return Classification.unknown();
    }
}
