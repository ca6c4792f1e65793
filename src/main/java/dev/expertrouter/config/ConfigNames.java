package dev.expertrouter.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks every config file shares: names, env var names, references to experts. */
final class ConfigNames {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ConfigNames() {
    }

    static void knownExpert(ConfigNode node, String key, String id, Set<String> expertIds) {
        if (!expertIds.contains(id)) {
            throw node.problem(key, "unknown expert '" + id + "'");
        }
    }

    static List<String> knownExperts(ConfigNode node, String key, Set<String> expertIds) {
        List<String> ids = node.strings(key);
        ids.forEach(id -> knownExpert(node, key, id, expertIds));
        return ids;
    }

    static String name(ConfigNode node, String key) {
        String value = node.string(key);
        if (!NAME.matcher(value).matches()) {
            throw node.problem(key, "'" + value + "' is not a valid name (letters, digits, '.', '_', '-', at most 64)");
        }
        return value;
    }

    static String envName(ConfigNode node, String key, String value) {
        if (!ENV_NAME.matcher(value).matches()) {
            throw node.problem(key, "'" + value + "' is not an env var name (put the secret in the env var, never in YAML)");
        }
        return value;
    }
}
