package dev.expertrouter.routing.affinity;

import dev.expertrouter.Sha256;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Which conversation a request continues, recognised without any client change. Chat clients
 * resend the whole conversation each turn, so its opening (the tenant, the system prompt and the
 * first user turn) stays the same from turn to turn and names it: the key is the SHA-256 of those.
 * A request with a single user turn opens a conversation and is routed fresh, even when the same
 * opening was seen before (someone asking the same question again starts over). A client that
 * knows its conversations may name them in {@code x-router-session}; the key is then the hash of
 * the tenant and that name, and every request of it looks the conversation up.
 *
 * @param key       64 hex characters; no prompt text can be read back from it
 * @param firstTurn true when the request opens the conversation: nothing to look up
 */
public record ConversationId(String key, boolean firstTurn) {

    public static ConversationId of(String tenant, ChatPrompt prompt, Optional<String> session) {
        MessageDigest digest = Sha256.digest();
        part(digest, tenant);
        if (session.isPresent()) {
            part(digest, "session");
            part(digest, session.get());
            return new ConversationId(HexFormat.of().formatHex(digest.digest()), false);
        }
        part(digest, "opening");
        int userTurns = 0;
        for (Turn turn : prompt.turns()) {
            String role = turn.role() == null ? "" : turn.role().toLowerCase(Locale.ROOT);
            boolean hasText = turn.text() != null && !turn.text().isBlank();
            if ("user".equals(role) && hasText) {
                if (userTurns == 0) {
                    part(digest, "user");
                    part(digest, turn.text().strip());
                }
                userTurns++;
            } else if (userTurns == 0 && hasText && ("system".equals(role) || "developer".equals(role))) {
                part(digest, "system");
                part(digest, turn.text().strip());
            }
        }
        return new ConversationId(HexFormat.of().formatHex(digest.digest()), userTurns <= 1);
    }

    private static void part(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
