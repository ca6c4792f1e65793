package dev.expertrouter.config;

/**
 * A configuration file that does not parse or validate. The message always names the file, the key
 * and the problem, because an operator reads it in a start-up log or a reload log line.
 */
public final class ConfigException extends RuntimeException {

    private final String file;
    private final String key;
    private final String problem;

    public ConfigException(String file, String key, String problem) {
        super(file + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem);
        this.file = file;
        this.key = key;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }
}
