package dev.expertrouter.training;

/**
 * One training example: the text the router embeds, its domain, its fine class and where it came
 * from.
 *
 * @param fineClass the class the head is trained on: the MMLU subject, or {@code chat:<domain>} for
 *                  the project's own examples. Domains are unions of heterogeneous subjects (general
 *                  = geography + politics + global facts + ...); each subject is a tight cluster in
 *                  embedding space, so a head over subjects, summed per domain, separates domains
 *                  far better than a head over the domains directly.
 * @param source    {@link #MMLU} or {@link #OWN} (the project's chat examples in config/domains)
 */
public record LabelledPrompt(String id, String text, String domain, String fineClass, String source) {

    public static final String MMLU = "mmlu";
    public static final String OWN = "own";

    public static String ownClass(String domain) {
        return "chat:" + domain;
    }

    public LabelledPrompt {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("example " + id + " has no text");
        }
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("example " + id + " has no domain");
        }
        if (fineClass == null || fineClass.isBlank()) {
            fineClass = ownClass(domain);
        }
    }
}
