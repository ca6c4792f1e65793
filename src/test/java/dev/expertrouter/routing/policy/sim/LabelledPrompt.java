package dev.expertrouter.routing.policy.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.expertrouter.routing.ChatPrompt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A prompt with its true domain, as the MMLU JSONL holds it ({@code domain}, {@code question},
 * optional {@code choices}). The prompt the router sees is the question with its lettered choices,
 * as a user would paste it.
 */
record LabelledPrompt(String id, String domain, ChatPrompt prompt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    String text() {
        return prompt.turns().get(0).text();
    }

    static List<LabelledPrompt> readJsonl(Path file) {
        List<LabelledPrompt> out = new ArrayList<>();
        try {
            int line = 0;
            for (String s : Files.readAllLines(file)) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(s);
                if (!n.hasNonNull("domain") || !n.hasNonNull("question")) {
                    throw new IllegalArgumentException(file + ":" + line + ": needs 'domain' and 'question'");
                }
                StringBuilder text = new StringBuilder(n.get("question").asText());
                JsonNode choices = n.get("choices");
                if (choices != null && choices.isArray()) {
                    for (int i = 0; i < choices.size(); i++) {
                        text.append('\n').append((char) ('A' + i)).append(". ").append(choices.get(i).asText());
                    }
                }
                String id = n.hasNonNull("id") ? n.get("id").asText() : file.getFileName() + ":" + line;
                out.add(new LabelledPrompt(id, n.get("domain").asText(),
                        new ChatPrompt(List.of(new ChatPrompt.Turn("user", text.toString())))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }
}
