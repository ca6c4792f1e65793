package dev.expertrouter.config;

import dev.expertrouter.Sha256;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.expertrouter.MetricNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The configuration in force. Loaded once at start-up (a bad file stops start-up), then polled for
 * edits: a good edit is swapped in atomically; a bad one is logged and counted while the old
 * configuration stays in force.
 */
@ApplicationScoped
public class ConfigHolder {

    private static final Logger LOG = Logger.getLogger(ConfigHolder.class);

    private final RouterSettings settings;
    private final ConfigLoader loader = new ConfigLoader();
    private final AtomicReference<RouterConfig> current = new AtomicReference<>();
    private final List<Consumer<RouterConfig>> listeners = new CopyOnWriteArrayList<>();
    private final Counter reloadFailures;
    private final Counter reloads;
    private volatile String fingerprint = "";
    private ScheduledExecutorService poller;

    public ConfigHolder(RouterSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.reloadFailures = Counter.builder(MetricNames.CONFIG_RELOADS).tag("outcome", "failure")
                .description("Config reloads, by outcome").register(registry);
        this.reloads = Counter.builder(MetricNames.CONFIG_RELOADS).tag("outcome", "success")
                .description("Config reloads, by outcome").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        Path dir = dir();
        fingerprint = fingerprint(dir);
        RouterConfig config = loader.load(dir);
        current.set(config);
        LOG.infof("loaded config from %s: %d experts, %d policies, %d tenants", dir.toAbsolutePath(),
                config.experts().size(), config.policies().size(), config.tenants().size());
        long every = settings.reloadInterval().toMillis();
        if (every > 0) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "config-reload");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    public RouterConfig current() {
        RouterConfig config = current.get();
        if (config == null) {
            throw new IllegalStateException("configuration not loaded yet");
        }
        return config;
    }

    public boolean isLoaded() {
        return current.get() != null;
    }

    /** Called after each successful swap, with the new configuration. */
    public void onChange(Consumer<RouterConfig> listener) {
        listeners.add(listener);
    }

    /**
     * Reloads now if the files changed. Returns true when a new configuration was swapped in.
     * Synchronized so a poll and an admin-triggered reload never interleave.
     */
    public synchronized boolean reloadIfChanged() {
        Path dir = dir();
        String now = fingerprint(dir);
        if (now.equals(fingerprint)) {
            return false;
        }
        fingerprint = now;
        try {
            RouterConfig config = loader.load(dir);
            current.set(config);
            reloads.increment();
            LOG.infof("reloaded config from %s: %d experts, %d policies, %d tenants", dir.toAbsolutePath(),
                    config.experts().size(), config.policies().size(), config.tenants().size());
            listeners.forEach(l -> l.accept(config));
            return true;
        } catch (ConfigException e) {
            reloadFailures.increment();
            LOG.errorf("config reload refused, the previous config stays in force: %s", e.getMessage());
            return false;
        }
    }

    public Path dir() {
        return Path.of(settings.configDir());
    }

    /** A digest of the three files' bytes: edits are noticed whatever the file system's mtime does. */
    private static String fingerprint(Path dir) {
        try {
            MessageDigest digest = Sha256.digest();
            for (String file : List.of(ConfigLoader.EXPERTS_FILE, ConfigLoader.POLICIES_FILE, ConfigLoader.TENANTS_FILE)) {
                Path p = dir.resolve(file);
                digest.update(file.getBytes());
                if (Files.isRegularFile(p)) {
                    digest.update(Files.readAllBytes(p));
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        }
    }
}
