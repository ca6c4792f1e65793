package dev.expertrouter.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A YAML mapping read with its file and key path, so that every problem is reported as
 * {@code file: key.path: problem}. Unknown keys are refused: a typo must not silently fall back to
 * a default.
 */
public final class ConfigNode {

    private final String file;
    private final String path;
    private final JsonNode node;

    private ConfigNode(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** The document root, which must be a mapping. */
    public static ConfigNode root(String file, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new ConfigException(file, "", "file is empty");
        }
        if (!node.isObject()) {
            throw new ConfigException(file, "", "expected a mapping at the top level");
        }
        return new ConfigNode(file, "", node);
    }

    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    public ConfigException problem(String key, String problem) {
        return new ConfigException(file, keyPath(key), problem);
    }

    public ConfigException problem(String problem) {
        return new ConfigException(file, path, problem);
    }

    /** Refuses keys outside the given set, naming the first unknown one. */
    public ConfigNode onlyKeys(Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw problem(name, "unknown key (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public String string(String key) {
        return optionalString(key).orElseThrow(() -> problem(key, "is required"));
    }

    public Optional<String> optionalString(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
            throw problem(key, "expected a string");
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            throw problem(key, "must not be empty");
        }
        return Optional.of(s);
    }

    public double number(String key, double defaultValue, double min, double max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw problem(key, "expected a number, got '" + v.asText() + "'");
        }
        double d = v.asDouble();
        if (Double.isNaN(d) || d < min || d > max) {
            throw problem(key, "must be between " + min + " and " + max + ", got " + d);
        }
        return d;
    }

    public double requiredNumber(String key, double min, double max) {
        if (!has(key)) {
            throw problem(key, "is required");
        }
        return number(key, 0, min, max);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isIntegralNumber()) {
            throw problem(key, "expected a whole number, got '" + v.asText() + "'");
        }
        long l = v.asLong();
        if (l < min || l > max) {
            throw problem(key, "must be between " + min + " and " + max + ", got " + l);
        }
        return l;
    }

    public boolean bool(String key, boolean defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw problem(key, "expected true or false");
        }
        return v.asBoolean();
    }

    public Optional<ConfigNode> optionalObject(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            throw problem(key, "expected a mapping");
        }
        return Optional.of(new ConfigNode(file, keyPath(key), v));
    }

    /** A list of mappings; absent means empty. */
    public List<ConfigNode> objects(String key) {
        return list(key, "expected a list", (item, itemPath) -> {
            if (!item.isObject()) {
                throw new ConfigException(file, itemPath, "expected a mapping");
            }
            return new ConfigNode(file, itemPath, item);
        });
    }

    /** A list of strings; absent means empty. */
    public List<String> strings(String key) {
        return list(key, "expected a list of strings", (item, itemPath) -> {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new ConfigException(file, itemPath, "expected a non-empty string");
            }
            return item.asText().trim();
        });
    }

    /** The items of a list, each read with its own path ({@code key[i]}); absent means empty. */
    private <T> List<T> list(String key, String notAList, BiFunction<JsonNode, String, T> item) {
        JsonNode v = node.get(key);
        List<T> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw problem(key, notAList);
        }
        for (int i = 0; i < v.size(); i++) {
            out.add(item.apply(v.get(i), keyPath(key) + "[" + i + "]"));
        }
        return out;
    }

    /** A mapping of names to numbers in a range; absent means empty. */
    public Map<String, Double> numberMap(String key, double min, double max) {
        Map<String, Double> out = new LinkedHashMap<>();
        Optional<ConfigNode> map = optionalObject(key);
        if (map.isEmpty()) {
            return out;
        }
        ConfigNode m = map.get();
        Iterator<String> names = m.node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            out.put(name, m.number(name, 0, min, max));
        }
        return out;
    }

    /** A mapping of names to strings; absent means empty. */
    public Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<ConfigNode> map = optionalObject(key);
        if (map.isEmpty()) {
            return out;
        }
        ConfigNode m = map.get();
        Iterator<String> names = m.node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            out.put(name, m.string(name));
        }
        return out;
    }

    private String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
