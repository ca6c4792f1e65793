package dev.expertrouter.bench.perceptive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The labelled sets, read in place from the shared data directory. */
final class BenchData {

    /** A GSM8K question with the two models' real correctness and answers. */
    record GsmItem(String id, String question, boolean gpt4, boolean mixtral, String gpt4Answer, String mixtralAnswer) {

        int gpt4Chars() {
            return gpt4Answer.length();
        }

        int mixtralChars() {
            return mixtralAnswer.length();
        }
    }

    /** An MMLU validation question with its subject and true domain. */
    record MmluItem(String id, String subject, String domain, String prompt) {
    }

    private BenchData() {
    }

    static List<GsmItem> gsm8k(Path file) throws IOException {
        List<GsmItem> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = Json.MAPPER.readTree(line);
            out.add(new GsmItem(n.path("id").asText(), n.path("question").asText(),
                    n.path("correct").path("gpt-4-1106-preview").asBoolean(),
                    n.path("correct").path("mixtral-8x7b-instruct-v0.1").asBoolean(),
                    n.path("responses").path("gpt-4-1106-preview").asText(),
                    n.path("responses").path("mixtral-8x7b-instruct-v0.1").asText()));
        }
        return out;
    }

    static List<MmluItem> mmlu(Path file) throws IOException {
        List<MmluItem> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = Json.MAPPER.readTree(line);
            StringBuilder prompt = new StringBuilder(n.path("question").asText());
            char letter = 'A';
            for (JsonNode c : n.path("choices")) {
                prompt.append('\n').append(letter++).append(". ").append(c.asText());
            }
            out.add(new MmluItem(n.path("id").asText(), n.path("subject").asText(), n.path("domain").asText(),
                    prompt.toString()));
        }
        return out;
    }
}
