package dev.expertrouter.routing.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.Json;
import dev.expertrouter.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one-pass encoder gives bit for bit the vector langchain4j's encoder gives. */
@org.junit.jupiter.api.Tag("embedder") // own surefire run: the tokenizer's native library loads once per JVM
class MiniLmEmbedderTest {

    private static MiniLmEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = new MiniLmEmbedder();
    }

    @Test
    void sameVectorsAsTheLibraryOnAwkwardTexts() {
        for (String text : List.of("hello", "What is the derivative of x^2?", "  leading and trailing spaces  ",
                "Ünïcödé, emoji 🙂 and CJK 漢字 mixed in", "tabs\tand\nnew lines\r\n", "a", "x".repeat(400),
                "don't, can't; won't: (brackets) [square] {curly} \"quotes\" 1,234.56 $%&*#@!",
                "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopic")) {
            assertThat(embedder.embed(text)).as(text).containsExactly(embedder.embedByLibrary(text));
        }
    }

    @Test
    void sameVectorsAsTheLibraryOnRealQuestions() throws Exception {
        Path val = SharedData.file("mmlu/mmlu_val.jsonl");
        List<String> questions = new ArrayList<>();
        for (String line : Files.readAllLines(val)) {
            JsonNode q = Json.MAPPER.readTree(line);
            if (questions.size() < 120 && Math.floorMod(q.path("id").asText().hashCode(), 10) == 0) {
                questions.add(q.path("question").asText());
            }
        }
        assertThat(questions).hasSizeGreaterThan(50);
        for (String text : questions) {
            assertThat(embedder.embed(text)).as(text).containsExactly(embedder.embedByLibrary(text));
        }
    }

    @Test
    void textsBeyondOneWindowStillEmbedThroughTheLibrary() {
        String longText = "word ".repeat(700);
        float[] v = embedder.embed(longText);
        assertThat(v).hasSize(384).containsExactly(embedder.embedByLibrary(longText));
    }
}
