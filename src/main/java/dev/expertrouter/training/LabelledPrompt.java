package dev.expertrouter.training;

/**
 * One training example: the text the router embeds, its domain, and where it came from.
 *
 * @param source {@link #MMLU} or {@link #OWN} (the project's chat examples in config/domains)
 */
public record LabelledPrompt(String id, String text, String domain, String source) {

    public static final String MMLU = "mmlu";
    public static final String OWN = "own";

    public LabelledPrompt {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("example " + id + " has no text");
        }
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("example " + id + " has no domain");
        }
    }
}
