package dev.expertrouter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Gateway settings (Quarkus config: application.properties, env vars, system properties). */
@ConfigMapping(prefix = "router")
public interface RouterSettings {

    /** Directory holding experts.yaml, policies.yaml and tenants.yaml ({@code ROUTER_CONFIG_DIR}). */
    @WithDefault(Environment.DEFAULT_CONFIG_DIR)
    String configDir();

    /** How often the config directory is checked for edits; 0 turns hot reload off. */
    @WithDefault("2s")
    Duration reloadInterval();

    /** Largest accepted request body; larger ones get 413 {@code body_too_large}. */
    @WithDefault("4194304")
    int maxBodyBytes();

    /** Upper bound on a whole request, across attempts and fallbacks. */
    @WithDefault("60s")
    Duration requestDeadline();

    /** Admin key ({@code ROUTER_ADMIN_KEY}); admin endpoints answer 403 while it is unset. */
    Optional<String> adminKey();

    /** Directory of versioned router models; {@code <dir>/current} names the serving version. */
    @WithDefault("router-models")
    String modelsDir();

    /** Serve this router model version instead of the one {@code current} names. */
    Optional<String> modelVersion();

    /**
     * Threads that embed prompts ({@code ROUTER_EMBEDDING_THREADS}); unset means one per core, and
     * a value below 1 stops start-up. The embedder is CPU-bound, so more threads than cores only
     * make each request slower; prompts beyond them wait their turn.
     */
    Optional<Integer> embeddingThreads();

    /**
     * Host the gateway's simulated experts are reached at; their port is the gateway's own HTTP
     * port, so they follow {@code QUARKUS_HTTP_PORT}.
     */
    @WithDefault("127.0.0.1")
    String simulatedHost();

    /**
     * Forced requests ({@code model: <expert id>}) are classified for the record after their answer
     * has left, on one low-priority thread: at most this many wait; beyond it they are dropped and
     * counted ({@code router.classification.record.dropped}), and their outcome carries no embedding.
     */
    @WithDefault("256")
    int recordClassificationQueue();

    /** The share of one core the after-the-answer classification may use, in (0, 1]. */
    @WithDefault("0.25")
    double recordClassificationCpuShare();
}
