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
    void aTailReadInContextComesFromTheTextsOwnPass() {
        String opening = "I've had a dry cough for three weeks and it gets worse at night. what could be causing it?";
        String text = opening + "\nshorter please";

        float[][] both = embedder.embedWithTail(text, "shorter please");

        assertThat(both[0]).containsExactly(embedder.embed(text));
        float[] alone = embedder.embed("shorter please");
        assertThat(norm(both[1])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        // read after the opening, the follow-up's states lean towards it: nearer the opening than
        // the follow-up embedded on its own is, and not the same vector
        float[] openingVector = embedder.embed(opening);
        assertThat(both[1]).isNotEqualTo(alone);
        assertThat(dot(both[1], openingVector)).isGreaterThan(dot(alone, openingVector) + 0.05);
    }

    @Test
    void aTailThatDoesNotEndTheTextIsEmbeddedOnItsOwn() {
        float[][] both = embedder.embedWithTail("why is the sky blue?\nshorter please", "why?");

        assertThat(both[0]).containsExactly(embedder.embed("why is the sky blue?\nshorter please"));
        assertThat(both[1]).containsExactly(embedder.embed("why?"));
    }

    @Test
    void theTailsWordPiecesAreFoundByTheirOffsetsPastEmojiAndAccents() {
        for (String prefix : List.of("plain opening", "Ünïcödé 🙂 漢字 café, 🙂🙂 again", "x".repeat(300))) {
            String text = prefix + "\nand in French?";
            int pieces = embedder.tokenIds("and in French?").length;
            int length = embedder.tokenIds(text).length + 2; // with [CLS] and [SEP]

            int[] starts = embedder.tokenStarts(text);
            assertThat(starts).hasSize(length);
            assertThat(MiniLmEmbedder.tailFrom(starts, text, "and in French?")).as(prefix).isEqualTo(length - 1 - pieces);
        }
        String text = "why is the sky blue?";
        assertThat(MiniLmEmbedder.tailFrom(embedder.tokenStarts(text), text, "blue")).isEqualTo(-1);
        assertThat(MiniLmEmbedder.tailFrom(embedder.tokenStarts(text), text, " ")).isEqualTo(-1);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
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
