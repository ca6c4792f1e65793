package dev.expertrouter.api;

import dev.expertrouter.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.routing.ChatPrompt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses and type-checks a Chat Completions body. Known fields are checked; unknown ones pass
 * through. Every problem is a 400 naming the offending field.
 */
public final class ChatRequestParser {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int MAX_NESTING = 64;
    /** OpenAI's own ceiling on {@code n}. */
    private static final int MAX_CHOICES = 128;

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
    }

    private ChatRequestParser() {
    }

    public static ObjectNode parseObject(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw ApiException.badRequest("invalid_json", "request body is empty; expected a JSON object", null);
        }
        int malformed = firstMalformedUtf8(bytes);
        if (malformed >= 0) {
            throw ApiException.badRequest("invalid_json", "request body is not valid UTF-8 (at byte " + malformed + ")", null);
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid_json", invalidJson(e), null);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "request body could not be read", null);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("invalid_json", "request body must be a JSON object", null);
        }
        return (ObjectNode) node;
    }

    /**
     * Where {@code bytes} stop being well-formed UTF-8 (Unicode's table 3-7), or -1. Jackson decodes
     * leniently: an overlong {@code C0 80} reads as U+0000 and an encoded surrogate passes, the
     * classic ways past a filter that looks for a character. Checked in place, without decoding a
     * copy of the body.
     */
    static int firstMalformedUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int low = 0x80;
            int high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                low = b == 0xE0 ? 0xA0 : 0x80; // below: overlong
                high = b == 0xED ? 0x9F : 0xBF; // above: a surrogate
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                low = b == 0xF0 ? 0x90 : 0x80; // below: overlong
                high = b == 0xF4 ? 0x8F : 0xBF; // above: past U+10FFFF
            } else {
                return i;
            }
            if (i + length > bytes.length) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < low || second > high) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }

    /**
     * Says what is wrong and where, in words of JSON: Jackson's own messages name its classes and
     * settings, which are nobody's business outside.
     */
    static String invalidJson(JsonProcessingException e) {
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        String detail = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().toLowerCase(java.util.Locale.ROOT);
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            if (detail.contains("nesting")) {
                return "request body is nested too deeply (at most " + MAX_NESTING + " levels)" + where;
            }
            if (detail.contains("number")) {
                return "request body holds a number too long to read" + where;
            }
            return "request body holds a value too long to read" + where;
        }
        if (detail.contains("end-of-input") || detail.contains("unexpected end")) {
            return "request body is not valid JSON: it ends too early" + where;
        }
        if (detail.contains("invalid utf-8") || detail.contains("invalid utf8")) {
            return "request body is not valid UTF-8" + where;
        }
        return "request body is not valid JSON" + where;
    }

    /** The request body of a routing context; an absent body reads as empty. */
    public static byte[] bodyOf(io.vertx.ext.web.RoutingContext ctx) {
        io.vertx.core.buffer.Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
        return buffer == null ? new byte[0] : buffer.getBytes();
    }

    public static ChatRequest parse(byte[] bytes) {
        return parse(parseObject(bytes));
    }

    public static ChatRequest parse(ObjectNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw ApiException.badRequest("missing_required_parameter", "'model' is required (use \"auto\" to let the router choose)", "model");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw ApiException.badRequest("invalid_type", "'model' must be a non-empty string", "model");
        }
        boolean stream = optionalBoolean(body, "stream");
        boolean includeUsage = false;
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!streamOptions.isObject()) {
                throw ApiException.badRequest("invalid_type", "'stream_options' must be an object", "stream_options");
            }
            includeUsage = optionalBoolean((ObjectNode) streamOptions, "include_usage", "stream_options.include_usage");
        }
        // both are checked and both reach the expert, which may honour either: the larger one is what
        // the answer may cost, so a small max_completion_tokens cannot hide a large max_tokens
        OptionalInt maxCompletionTokens = positiveInt(body, "max_completion_tokens");
        OptionalInt legacyMaxTokens = positiveInt(body, "max_tokens");
        OptionalInt maxTokens = maxCompletionTokens.isEmpty() ? legacyMaxTokens
                : legacyMaxTokens.isEmpty() ? maxCompletionTokens
                : OptionalInt.of(Math.max(maxCompletionTokens.getAsInt(), legacyMaxTokens.getAsInt()));
        checkNumber(body, "temperature", 0, 2);
        checkNumber(body, "top_p", 0, 1);
        checkNumber(body, "presence_penalty", -2, 2);
        checkNumber(body, "frequency_penalty", -2, 2);
        int choices = positiveInt(body, "n").orElse(1);
        if (choices > MAX_CHOICES) {
            throw ApiException.badRequest("invalid_value", "'n' must be at most " + MAX_CHOICES, "n");
        }
        JsonNode stop = body.get("stop");
        if (stop != null && !stop.isNull() && !stop.isTextual() && !stop.isArray()) {
            throw ApiException.badRequest("invalid_type", "'stop' must be a string or an array of strings", "stop");
        }
        JsonNode user = body.get("user");
        if (user != null && !user.isNull() && !user.isTextual()) {
            throw ApiException.badRequest("invalid_type", "'user' must be a string", "user");
        }
        return new ChatRequest(body, model.asText(), stream, includeUsage, maxTokens, prompt(body.get("messages")), choices);
    }

    private static ChatPrompt prompt(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw ApiException.badRequest("missing_required_parameter", "'messages' is required", "messages");
        }
        if (!messages.isArray()) {
            throw ApiException.badRequest("invalid_type", "'messages' must be an array", "messages");
        }
        if (messages.isEmpty()) {
            throw ApiException.badRequest("empty_array", "'messages' must hold at least one message", "messages");
        }
        List<ChatPrompt.Turn> turns = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            String at = "messages[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw ApiException.badRequest("invalid_type", at + " must be an object", at);
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ApiException.badRequest("invalid_value", at + ".role must be one of " + ROLES.stream().sorted().toList(), at + ".role");
            }
            turns.add(new ChatPrompt.Turn(role.asText(), text(m, at)));
        }
        return new ChatPrompt(turns);
    }

    /** The text a message carries: string content, text parts, and tool-call names and arguments. */
    private static String text(JsonNode message, String at) {
        StringBuilder out = new StringBuilder();
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            if (!message.has("tool_calls") && !message.has("function_call")) {
                throw ApiException.badRequest("missing_required_parameter", at + ".content is required", at + ".content");
            }
        } else if (content.isTextual()) {
            out.append(content.asText());
        } else if (content.isArray()) {
            for (int p = 0; p < content.size(); p++) {
                JsonNode part = content.get(p);
                String partAt = at + ".content[" + p + "]";
                if (!part.isObject() || !part.path("type").isTextual()) {
                    throw ApiException.badRequest("invalid_type", partAt + " must be an object with a 'type'", partAt);
                }
                if ("text".equals(part.get("type").asText())) {
                    JsonNode text = part.get("text");
                    if (text == null || !text.isTextual()) {
                        throw ApiException.badRequest("invalid_type", partAt + ".text must be a string", partAt + ".text");
                    }
                    if (out.length() > 0) {
                        out.append('\n');
                    }
                    out.append(text.asText());
                }
            }
        } else {
            throw ApiException.badRequest("invalid_type", at + ".content must be a string or an array of content parts", at + ".content");
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode fn = call.path("function");
            out.append(out.length() > 0 ? "\n" : "").append(fn.path("name").asText("")).append(' ').append(fn.path("arguments").asText(""));
        }
        JsonNode fnCall = message.get("function_call");
        if (fnCall != null && fnCall.isObject()) {
            out.append(out.length() > 0 ? "\n" : "").append(fnCall.path("name").asText("")).append(' ').append(fnCall.path("arguments").asText(""));
        }
        return out.toString();
    }

    private static boolean optionalBoolean(ObjectNode body, String field) {
        return optionalBoolean(body, field, field);
    }

    private static boolean optionalBoolean(ObjectNode body, String field, String param) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest("invalid_type", "'" + param + "' must be a boolean", param);
        }
        return v.asBoolean();
    }

    private static OptionalInt positiveInt(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return OptionalInt.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            throw ApiException.badRequest("invalid_value", "'" + field + "' must be a positive integer", field);
        }
        return OptionalInt.of(v.asInt());
    }

    private static void checkNumber(ObjectNode body, String field, double min, double max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw ApiException.badRequest("invalid_value", "'" + field + "' must be a number between " + min + " and " + max, field);
        }
    }
}
