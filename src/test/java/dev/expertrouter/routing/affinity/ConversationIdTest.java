package dev.expertrouter.routing.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConversationIdTest {

    static final Turn SYSTEM = new Turn("system", "You are a helpful assistant.");
    static final Turn FIRST = new Turn("user", "My knee hurts after running, what could it be?");

    static ChatPrompt prompt(Turn... turns) {
        return new ChatPrompt(List.of(turns));
    }

    @Test
    void everyTurnOfAConversationHasTheKeyOfItsOpening() {
        ConversationId first = ConversationId.of("demo", prompt(SYSTEM, FIRST), Optional.empty());
        ConversationId second = ConversationId.of("demo", prompt(SYSTEM, FIRST,
                new Turn("assistant", "It could be patellofemoral pain."), new Turn("user", "shorter please")), Optional.empty());
        ConversationId third = ConversationId.of("demo", prompt(SYSTEM, FIRST,
                new Turn("assistant", "Something else entirely"), new Turn("user", "shorter please"),
                new Turn("assistant", "Runner's knee."), new Turn("user", "and in French?")), Optional.empty());

        assertThat(first.firstTurn()).isTrue();
        assertThat(second.firstTurn()).isFalse();
        assertThat(third.firstTurn()).isFalse();
        assertThat(second.key()).isEqualTo(first.key()).isEqualTo(third.key());
        assertThat(first.key()).matches("[0-9a-f]{64}");
    }

    @Test
    void tenantSystemPromptAndFirstTurnEachTellConversationsApart() {
        String key = ConversationId.of("demo", prompt(SYSTEM, FIRST), Optional.empty()).key();

        assertThat(ConversationId.of("other", prompt(SYSTEM, FIRST), Optional.empty()).key()).isNotEqualTo(key);
        assertThat(ConversationId.of("demo", prompt(new Turn("system", "You are a pirate."), FIRST), Optional.empty()).key())
                .isNotEqualTo(key);
        assertThat(ConversationId.of("demo", prompt(FIRST), Optional.empty()).key()).isNotEqualTo(key);
        assertThat(ConversationId.of("demo", prompt(SYSTEM, new Turn("user", "My elbow hurts")), Optional.empty()).key())
                .isNotEqualTo(key);
    }

    @Test
    void aSessionHeaderNamesTheConversationWhateverItsText() {
        ConversationId a = ConversationId.of("demo", prompt(SYSTEM, FIRST), Optional.of("chat-42"));
        ConversationId b = ConversationId.of("demo", prompt(new Turn("user", "something else")), Optional.of("chat-42"));

        assertThat(a.key()).isEqualTo(b.key());
        // a named conversation is always looked up: its first request finds nothing and is new
        assertThat(a.firstTurn()).isFalse();
        assertThat(ConversationId.of("other", prompt(FIRST), Optional.of("chat-42")).key()).isNotEqualTo(a.key());
        assertThat(ConversationId.of("demo", prompt(FIRST), Optional.empty()).key()).isNotEqualTo(a.key());
    }

    @Test
    void emptyUserTurnsDoNotCountAndWhitespaceAroundTheOpeningDoesNotMatter() {
        ConversationId padded = ConversationId.of("demo", prompt(SYSTEM, new Turn("user", "  " + FIRST.text() + "\n"),
                new Turn("user", "   ")), Optional.empty());

        assertThat(padded.firstTurn()).isTrue();
        assertThat(padded.key()).isEqualTo(ConversationId.of("demo", prompt(SYSTEM, FIRST), Optional.empty()).key());
    }
}
