package dev.expertrouter.routing.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptTextSelectorTest {

    private final PromptTextSelector selector = new PromptTextSelector();

    private static ChatPrompt prompt(String... roleText) {
        List<Turn> turns = new java.util.ArrayList<>();
        for (int i = 0; i < roleText.length; i += 2) {
            turns.add(new Turn(roleText[i], roleText[i + 1]));
        }
        return new ChatPrompt(turns);
    }

    @Test
    void longEnoughLastUserTurnIsEmbeddedAlone() {
        String question = "Please explain the difference between a Roth IRA and a traditional IRA, including how "
                + "withdrawals are taxed in retirement and what the contribution limits are this year.";
        String text = selector.select(prompt("system", "You are a helpful assistant.", "user", "hello",
                "assistant", "Hi! How can I help?", "user", question));
        assertThat(text).isEqualTo(question);
    }

    @Test
    void shortFollowUpGetsSystemPromptAndPreviousUserTurn() {
        String text = selector.select(prompt("system", "You are a senior Java reviewer.",
                "user", "Why does my HashMap iteration order change between runs?",
                "assistant", "Because ...", "user", "and in Python?"));
        assertThat(text).isEqualTo("You are a senior Java reviewer.\n"
                + "Why does my HashMap iteration order change between runs?\nand in Python?");
    }

    @Test
    void assistantAndToolMessagesAreNeverTheFocus() {
        String text = selector.select(prompt("user", "What is the weather like in Lisbon in March, usually? "
                        + "I am planning a trip there and want to know what clothes to pack for it.",
                "assistant", "Let me call the weather tool.", "tool", "{\"temp\": 18, \"rain\": 0.3}"));
        assertThat(text).startsWith("What is the weather like in Lisbon");
        assertThat(text).doesNotContain("temp");
    }

    @Test
    void emptyLastUserTurnFallsBackToThePreviousOne() {
        String text = selector.select(prompt("user", "integrate x squared", "assistant", "x^3/3", "user", "   \n\t"));
        assertThat(text).isEqualTo("integrate x squared");
    }

    @Test
    void onlyASystemMessageIsRoutedOnIt() {
        assertThat(selector.select(prompt("system", "You are a contract lawyer.")))
                .isEqualTo("You are a contract lawyer.");
    }

    @Test
    void noUserOrSystemTextIsUnroutable() {
        assertThatThrownBy(() -> selector.select(prompt("user", "   ", "assistant", "hi")))
                .isInstanceOf(UnroutablePromptException.class)
                .hasMessageContaining("no user or system message");
        assertThatThrownBy(() -> selector.select(prompt("tool", "{}")))
                .isInstanceOf(UnroutablePromptException.class);
        assertThatThrownBy(() -> selector.select(new ChatPrompt(List.of())))
                .isInstanceOf(UnroutablePromptException.class);
        assertThatThrownBy(() -> selector.select(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longPromptKeepsHeadAndTailWithinBudget() {
        String head = "Please review this contract for risks. ";
        String tail = " Which clause is the most dangerous for the tenant?";
        String body = "lorem ipsum dolor sit amet ".repeat(4000); // ~100 KB
        String text = selector.select(prompt("user", head + body + tail));
        assertThat(text.length()).isLessThanOrEqualTo(PromptTextSelector.DEFAULT_MAX_CHARS + 1);
        assertThat(text).startsWith(head.strip());
        assertThat(text).endsWith(tail.strip());
        assertThat(text).contains(PromptTextSelector.ELISION);
    }

    @Test
    void normalisesWhitespaceAndControlCharactersButKeepsScriptsAndEmoji() {
        assertThat(PromptTextSelector.normalise("  a\u0000b \n\n c\u200B ")).isEqualTo("ab c\u200B");
        assertThat(PromptTextSelector.normalise("你好 🙂  Привет")).isEqualTo("你好 🙂 Привет");
        assertThat(PromptTextSelector.normalise("Cafe\u0301")).isEqualTo("Café");
    }

    @Test
    void cutsNeverSplitAnEmoji() {
        String emoji = "🙂".repeat(1000);
        String text = PromptTextSelector.headAndTail(emoji, 301);
        assertThat(text.codePoints().filter(cp -> cp == 0xFFFD).count()).isZero();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(Character.isLowSurrogate(text.charAt(i + 1))).isTrue();
            } else if (Character.isLowSurrogate(c)) {
                assertThat(Character.isHighSurrogate(text.charAt(i - 1))).isTrue();
            }
        }
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThatThrownBy(() -> new PromptTextSelector(10, 5)).hasMessageContaining("maxChars");
        assertThatThrownBy(() -> new PromptTextSelector(500, 600)).hasMessageContaining("shortFocusChars");
    }
}
