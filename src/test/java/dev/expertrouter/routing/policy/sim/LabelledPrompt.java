package dev.expertrouter.routing.policy.sim;

import dev.expertrouter.Json;
import dev.expertrouter.training.MmluDataset;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.expertrouter.routing.ChatPrompt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A prompt with its true domain, as the MMLU JSONL holds it. The prompt the router sees is built by
 * {@link MmluDataset#parse}, the routine training uses.
 */
record LabelledPrompt(String id, String domain, ChatPrompt prompt) {

    private static final ObjectMapper JSON = Json.MAPPER;

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
                // the training code's own routine, so the simulation sees exactly the text the router was trained on
                var row = MmluDataset.parse(JSON.readTree(s), file + ":" + line);
                out.add(new LabelledPrompt(row.id(), row.domain(),
                        new ChatPrompt(List.of(new ChatPrompt.Turn("user", row.text())))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }
}
