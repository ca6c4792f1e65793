package dev.expertrouter.config;

import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The one reader of the process environment. Env vars are read through MicroProfile Config, so the
 * same names work as env vars, system properties or (in tests) config overrides, inside Quarkus
 * and in the commands that run without it ({@code validate-config}, {@code train}).
 */
public final class Environment {

    /** The default of {@code router.config-dir}. */
    public static final String DEFAULT_CONFIG_DIR = "config";

    private Environment() {
    }

    /** An env var's value (or a setting of that name), or null when unset. */
    public static String variable(String name) {
        return ConfigProvider.getConfig().getOptionalValue(name, String.class).orElse(null);
    }

    /**
     * The config directory, resolved as the gateway resolves {@code router.config-dir}: system
     * property, then {@code ROUTER_CONFIG_DIR}, then {@value #DEFAULT_CONFIG_DIR}.
     */
    public static Path configDir() {
        return Path.of(ConfigProvider.getConfig().getOptionalValue("router.config-dir", String.class).orElse(DEFAULT_CONFIG_DIR));
    }
}
