package dev.expertrouter.routing;

import java.util.List;

/**
 * The conversation as the router sees it: each message's role and its plain text (text parts of
 * array content joined; tool calls and images reduced to what text they carry).
 */
public record ChatPrompt(List<Turn> turns) {

    public ChatPrompt {
        turns = List.copyOf(turns);
    }

    public record Turn(String role, String text) {
    }

    /** Characters across all turns: the basis of the input-token estimate. */
    public int totalChars() {
        return turns.stream().mapToInt(t -> t.text().length()).sum();
    }

    /** A rough token estimate (about 4 characters a token for English) for cost and context checks. */
    public int estimatedTokens() {
        return (int) estimateTokens(totalChars(), turns.size());
    }

    /** The estimate for a conversation of this many characters and messages. */
    public static long estimateTokens(long chars, int messages) {
        return Math.max(1, (chars + 3) / 4 + 4L * messages);
    }
}
