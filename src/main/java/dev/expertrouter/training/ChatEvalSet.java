package dev.expertrouter.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The chat-style held-out set (issue #16): prompts as chat users write them (requests, rewrites,
 * follow-ups, role-play, extraction, short questions), one {@code <domain>.yaml} per domain in the
 * format of the examples, scored at every training beside the MMLU test split and never trained on.
 * Loading refuses a set that shares a prompt with the training data (compared case- and
 * whitespace-insensitively), so the score stays a held-out one.
 *
 * @param dir     where it was read
 * @param prompts the prompts, labelled by their file's {@code domain:}
 * @param files   the files with their sha256, for the version's metadata
 */
record ChatEvalSet(Path dir, List<LabelledPrompt> prompts, List<DataFile> files) {

    /** The chat-style training examples beside an examples directory: {@code config/domains-chat}. */
    static final String CHAT_EXAMPLES_SUFFIX = "-chat";
    /** The chat-style held-out set beside an examples directory: {@code config/domains-chat-eval}. */
    static final String CHAT_EVAL_SUFFIX = "-chat-eval";

    /** {@code <examplesDir><suffix>} (e.g. {@code config/domains-chat-eval}) when that directory exists. */
    static Optional<Path> beside(Path examplesDir, String suffix) {
        Path name = examplesDir.toAbsolutePath().normalize().getFileName();
        if (name == null) {
            return Optional.empty();
        }
        Path sibling = examplesDir.resolveSibling(name + suffix);
        return Files.isDirectory(sibling) ? Optional.of(sibling) : Optional.empty();
    }

    /**
     * @param labels   the domains the model is trained on; a held-out prompt of another domain is refused
     * @param training every prompt the model trains, validates or is tested on
     */
    static ChatEvalSet load(Path dir, List<String> labels, List<LabelledPrompt> training) {
        DomainExamples.Loaded loaded = DomainExamples.load(dir);
        Map<String, LabelledPrompt> trained = new HashMap<>();
        for (LabelledPrompt p : training) {
            trained.putIfAbsent(key(p.text()), p);
        }
        List<LabelledPrompt> prompts = new ArrayList<>();
        for (LabelledPrompt p : loaded.prompts()) {
            if (!labels.contains(p.domain())) {
                throw new IllegalArgumentException("chat-style held-out set " + dir + ": domain '" + p.domain()
                        + "' is not one the model is trained on " + labels);
            }
            LabelledPrompt seen = trained.get(key(p.text()));
            if (seen != null) {
                throw new IllegalArgumentException("chat-style held-out set " + dir + " shares a prompt with the "
                        + "training data (" + seen.source() + " example " + seen.id() + "): '" + p.text()
                        + "'; a held-out prompt must never be trained on");
            }
            prompts.add(new LabelledPrompt("chat-eval-" + p.id(), p.text(), p.domain(), p.fineClass(), p.source()));
        }
        return new ChatEvalSet(dir, List.copyOf(prompts), loaded.files());
    }

    /** Case and runs of white space do not make a prompt new. */
    static String key(String text) {
        return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
