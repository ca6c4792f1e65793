package dev.expertrouter.routing.affinity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.Json;
import java.util.Optional;

/**
 * What a conversation's last answered turn left behind: nothing sensitive (no text, no tenant, no
 * key), so it may sit in a shared Redis under a hashed key.
 *
 * @param expert        the expert that answered the last turn
 * @param domain        the conversation's domain: the first turn's, or the last confident topic change's
 * @param routerVersion the router model version that classified it
 * @param turns         answered turns so far (the first is 1)
 */
public record RememberedChoice(String expert, String domain, String routerVersion, int turns) {

    public RememberedChoice {
        if (expert == null || expert.isBlank() || domain == null || routerVersion == null || turns < 1) {
            throw new IllegalArgumentException("a remembered choice needs an expert, a domain, a router version and turns >= 1");
        }
    }

    /** The form stored in Redis. */
    public String encode() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("expert", expert);
        n.put("domain", domain);
        n.put("router_version", routerVersion);
        n.put("turns", turns);
        return n.toString();
    }

    /** Reads {@link #encode()}'s form; anything else (an older or foreign value) is treated as not remembered. */
    public static Optional<RememberedChoice> decode(String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(stored);
            return Optional.of(new RememberedChoice(n.path("expert").asText(null), n.path("domain").asText(null),
                    n.path("router_version").asText(null), n.path("turns").asInt(0)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
