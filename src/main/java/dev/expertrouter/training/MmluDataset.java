package dev.expertrouter.training;

import dev.expertrouter.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.expertrouter.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The labelled MMLU questions, read in place from the shared data directory (never copied into
 * the project). Each question is embedded with its four answer choices, the way a user pasting
 * an exam question into a chat would send it; the choices carry much of the topical signal.
 */
public final class MmluDataset {

    static final List<String> FILES = List.of("mmlu_val.jsonl", "mmlu_dev.jsonl");
    private static final ObjectMapper JSON = Json.MAPPER;

    private MmluDataset() {
    }

    public record Loaded(List<LabelledPrompt> prompts, List<DataFile> files) {
    }

    public static Loaded load(Path dir) {
        List<LabelledPrompt> prompts = new ArrayList<>();
        List<DataFile> files = new ArrayList<>();
        for (String name : FILES) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("MMLU data file missing: " + file);
            }
            try {
                int before = prompts.size();
                int lineNo = 0;
                for (String line : Files.readAllLines(file)) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    prompts.add(parse(JSON.readTree(line), file + ":" + lineNo));
                }
                files.add(new DataFile(file.toAbsolutePath().normalize().toString(), Sha256.of(file),
                        prompts.size() - before));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return new Loaded(prompts, files);
    }

    /** One MMLU row as the prompt a user would send: the question, then its lettered choices, stripped. */
    public static LabelledPrompt parse(JsonNode row, String where) {
        String question = row.path("question").asText("");
        String domain = row.path("domain").asText("");
        if (question.isBlank() || domain.isBlank()) {
            throw new IllegalArgumentException(where + ": row lacks question or domain");
        }
        StringBuilder text = new StringBuilder(question.strip());
        char letter = 'A';
        for (JsonNode choice : row.path("choices")) {
            text.append('\n').append(letter++).append(". ").append(choice.asText().strip());
        }
        String subject = row.path("subject").asText(domain);
        return new LabelledPrompt(row.path("id").asText(where), text.toString(), domain, subject, LabelledPrompt.MMLU);
    }
}
