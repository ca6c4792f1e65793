package dev.expertrouter.routing.serving;

import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.routing.classifier.RouterArtifactFiles;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.quality.AnswerVerifier;
import dev.expertrouter.routing.quality.AnswerVerifierFiles;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The answer verifiers in service: those of the serving router model version ({@code verifiers/}),
 * by expert. A policy's verify-then-escalate asks its draft's verifier; without one it routes as
 * if it had none. {@link #swap} replaces them atomically with the router version.
 */
@ApplicationScoped
public class ServingVerifiers {

    private static final Logger LOG = Logger.getLogger(ServingVerifiers.class);

    private final RouterSettings settings;
    private volatile Map<String, AnswerVerifierFiles.Entry> entries = Map.of();

    public ServingVerifiers(RouterSettings settings) {
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        Path root = Path.of(settings.modelsDir());
        if (settings.modelVersion().isEmpty() && !Files.isRegularFile(root.resolve(RouterArtifactFiles.CURRENT))) {
            return;
        }
        swap(root.resolve(RouterModelLoader.servingVersion(root, settings.modelVersion())));
    }

    /**
     * Serves the verifiers of a router version's directory (none when it has none).
     *
     * @throws dev.expertrouter.routing.classifier.RouterModelException when its verifiers cannot be read
     */
    public void swap(Path versionDir) {
        serve(AnswerVerifierFiles.loadIfPresent(versionDir));
    }

    /** Serves these verifiers, by expert (empty: none). */
    public synchronized void serve(Map<String, AnswerVerifierFiles.Entry> next) {
        this.entries = Map.copyOf(next);
        if (!next.isEmpty()) {
            LOG.infof("answer verifiers serving for %s", next.keySet());
        }
    }

    public Optional<AnswerVerifier> forExpert(String expert) {
        return Optional.ofNullable(entries.get(expert)).map(AnswerVerifierFiles.Entry::verifier);
    }

    public Map<String, AnswerVerifierFiles.Entry> entries() {
        return entries;
    }
}
