package dev.expertrouter.experts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

/**
 * A complete, validated non-streaming answer from an expert.
 *
 * @param body the parsed answer
 * @param raw  the bytes it was parsed from, or null: an answer the gateway leaves unchanged is sent
 *             on as received rather than serialised again
 */
public record ExpertReply(String expert, ObjectNode body, Usage usage, Buffer raw) {

    /** An answer without its bytes: it is serialised from {@code body} when sent on. */
    public ExpertReply(String expert, ObjectNode body, Usage usage) {
        this(expert, body, usage, null);
    }
}
