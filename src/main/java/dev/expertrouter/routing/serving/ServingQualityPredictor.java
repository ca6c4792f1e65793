package dev.expertrouter.routing.serving;

import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.classifier.RouterArtifactFiles;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.policy.ExpertQualityEstimator;
import dev.expertrouter.routing.quality.QualityModelLoader;
import dev.expertrouter.routing.quality.QualityPredictor;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The quality predictor in service: the {@code quality/} directory of the serving router model
 * version, when it has one; else none, and the policies judge experts by their per-domain priors.
 * {@link #swap} replaces it atomically (a hot swap of the router version calls it).
 */
@ApplicationScoped
public class ServingQualityPredictor implements ExpertQualityEstimator {

    private static final Logger LOG = Logger.getLogger(ServingQualityPredictor.class);

    private final RouterSettings settings;
    private volatile ExpertQualityEstimator current = ExpertQualityEstimator.NONE;
    private volatile Optional<QualityPredictor> predictor = Optional.empty();
    private volatile Optional<Path> versionDir = Optional.empty();

    public ServingQualityPredictor(RouterSettings settings) {
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        Path root = Path.of(settings.modelsDir());
        if (settings.modelVersion().isEmpty() && !Files.isRegularFile(root.resolve(RouterArtifactFiles.CURRENT))) {
            return;
        }
        Path versionDir = root.resolve(RouterModelLoader.servingVersion(root, settings.modelVersion()));
        Optional<QualityPredictor> loaded = QualityModelLoader.loadIfPresent(versionDir);
        swap(versionDir, loaded);
        if (loaded.isEmpty()) {
            LOG.infof("no quality predictor in %s: experts are judged by their per-domain priors", versionDir);
        }
    }

    /** Serves this predictor from now on (empty: none). */
    public void swap(Optional<QualityPredictor> next) {
        swap(null, next);
    }

    /**
     * Serves the predictor loaded from a router version's directory (empty: that version has none).
     *
     * @param dir the version directory it came from, so a retrain can carry it into the next version
     */
    public synchronized void swap(Path dir, Optional<QualityPredictor> next) {
        versionDir = next.isPresent() ? Optional.ofNullable(dir) : Optional.empty();
        predictor = next;
        current = next.<ExpertQualityEstimator>map(p -> p).orElse(ExpertQualityEstimator.NONE);
        next.ifPresent(p -> LOG.infof("quality predictor of %s serving for %d experts %s", p.version(),
                p.experts().size(), p.experts()));
    }

    public Optional<QualityPredictor> predictor() {
        return predictor;
    }

    /** The router version directory the serving predictor was loaded from, when one serves. */
    public Optional<Path> versionDir() {
        return versionDir;
    }

    @Override
    public PromptQuality forPrompt(Classification classification, int inputTokens) {
        return current.forPrompt(classification, inputTokens);
    }
}
