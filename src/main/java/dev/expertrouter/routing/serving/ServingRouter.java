package dev.expertrouter.routing.serving;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.PromptClassifier;
import dev.expertrouter.routing.UnknownClassifier;

import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.metrics.RoutingMetrics;
import dev.expertrouter.routing.classifier.EmbeddingClassifier;
import dev.expertrouter.routing.classifier.RouterArtifactFiles;
import dev.expertrouter.routing.embedding.UnroutablePromptException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The router model in service. At start-up it loads the version named by
 * {@code router-models/current} (or {@code router.model-version}); a broken artifact stops start-up
 * with a message naming what is wrong. With no model at all every prompt is {@code unknown} and the
 * policies' default experts answer.
 */
@ApplicationScoped
public class ServingRouter implements PromptClassifier {

    private static final Logger LOG = Logger.getLogger(ServingRouter.class);

    private final RouterSettings settings;
    private final RoutingMetrics metrics;
    private volatile PromptClassifier current = new UnknownClassifier();
    private volatile String version = Classification.NO_VERSION;
    private volatile boolean loaded;

    public ServingRouter(RouterSettings settings, RoutingMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        Path root = Path.of(settings.modelsDir());
        if (settings.modelVersion().isEmpty() && !Files.isRegularFile(root.resolve(RouterArtifactFiles.CURRENT))) {
            LOG.warnf("no router model in %s (no '%s' file): every prompt routes as 'unknown' to the policies' default experts",
                    root.toAbsolutePath(), RouterArtifactFiles.CURRENT);
            metrics.serving(version);
            loaded = true;
            return;
        }
        long t0 = System.nanoTime();
        EmbeddingClassifier classifier = EmbeddingClassifier.fromModelsDir(root, settings.modelVersion());
        warmUp(classifier);
        version = classifier.version();
        // warm-up passes are slow by nature: only requests' stages are timed
        current = classifier.withStageTimings(metrics);
        metrics.serving(version);
        loaded = true;
        LOG.infof("router model %s serving from %s (loaded and warmed in %d ms)", classifier.version(),
                root.toAbsolutePath(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** The first ONNX and forward passes are slow; pay them before readiness, not on a request. */
    private static void warmUp(EmbeddingClassifier classifier) {
        for (String text : new String[] {"hello", "What is the derivative of x^2?", "Is this mole dangerous?"}) {
            classifier.classify(new ChatPrompt(java.util.List.of(new ChatPrompt.Turn("user", text))));
        }
    }

    /**
     * A prompt with no text to route (say, an empty user turn) is not refused: it is
     * {@code unknown} to the serving version, and the policy's default expert answers it, as an
     * OpenAI endpoint would.
     */
    @Override
    public Classification classify(ChatPrompt prompt) {
        try {
            return current.classify(prompt);
        } catch (UnroutablePromptException e) {
            return new Classification(Classification.UNKNOWN_DOMAIN, 0, java.util.Map.of(), version(), null);
        }
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** The serving version, or {@code none}. */
    public String version() {
        return version;
    }
}
