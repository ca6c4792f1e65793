package dev.expertrouter.config;

import java.util.Optional;

/**
 * A routing policy callers may name as {@code model} or in {@code x-router-policy}.
 *
 * @param name          unique across experts, policies and {@code auto}
 * @param defaultExpert the expert used when the router cannot decide; default: highest mean quality
 */
public record PolicyConfig(String name, Optional<String> defaultExpert) {
}
