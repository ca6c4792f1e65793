package dev.expertrouter.routing.serving;

import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.PromptClassifier;
import dev.expertrouter.routing.UnknownClassifier;
import dev.expertrouter.metrics.RoutingMetrics;
import dev.expertrouter.routing.classifier.EmbeddingClassifier;
import dev.expertrouter.routing.classifier.RouterArtifactFiles;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.embedding.CachingEmbedder;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import dev.expertrouter.routing.embedding.UnroutablePromptException;
import dev.expertrouter.training.ReleaseHistory;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The router model in service. At start-up it loads the version named by
 * {@code router-models/current} (or {@code router.model-version}); a broken artifact stops start-up
 * with a message naming what is wrong. With no model at all every prompt is {@code unknown} and the
 * policies' default experts answer.
 *
 * <p>A promotion or rollback swaps the model in place: the new version is loaded and warmed up
 * first, then one volatile write replaces the classifier. Each request reads that reference once,
 * so it is decided, and labelled ({@code x-router-version}), by exactly one version, old or new.
 */
@ApplicationScoped
public class ServingRouter implements PromptClassifier {

    private static final Logger LOG = Logger.getLogger(ServingRouter.class);

    private final RouterSettings settings;
    private final RoutingMetrics metrics;
    private final Path root;
    private final ReleaseHistory history;
    private final PromptTextSelector selector = new PromptTextSelector();
    private final Supplier<PromptEmbedder> embedderFactory;
    private volatile PromptClassifier current = new UnknownClassifier();
    private volatile boolean loaded;
    private PromptEmbedder embedder;
    private PromptEmbedder cachingEmbedder;

    @Inject
    public ServingRouter(RouterSettings settings, RoutingMetrics metrics) {
        this(settings, metrics, MiniLmEmbedder::new);
    }

    /** @param embedderFactory makes the serving embedder, once, when first needed (tests: a synthetic one) */
    ServingRouter(RouterSettings settings, RoutingMetrics metrics, Supplier<PromptEmbedder> embedderFactory) {
        this.settings = settings;
        this.metrics = metrics;
        this.embedderFactory = embedderFactory;
        this.root = Path.of(settings.modelsDir());
        this.history = new ReleaseHistory(root);
    }

    void onStart(@Observes StartupEvent event) {
        if (settings.modelVersion().isEmpty() && !Files.isRegularFile(root.resolve(RouterArtifactFiles.CURRENT))) {
            LOG.warnf("no router model in %s (no '%s' file): every prompt routes as 'unknown' to the policies' default experts",
                    root.toAbsolutePath(), RouterArtifactFiles.CURRENT);
            loaded = true;
            return;
        }
        long t0 = System.nanoTime();
        EmbeddingClassifier classifier = load(RouterModelLoader.servingVersion(root, settings.modelVersion()));
        current = classifier;
        metrics.serving(classifier.version());
        loaded = true;
        LOG.infof("router model %s serving from %s (loaded and warmed in %d ms)", classifier.version(),
                root.toAbsolutePath(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Loads a version for the serving embedder and pays its first (slow) passes, before it serves. */
    private synchronized EmbeddingClassifier load(String version) {
        RouterModel model = RouterModelLoader.load(root.resolve(version), embedder().id());
        EmbeddingClassifier classifier = new EmbeddingClassifier(selector, cachingEmbedder, model);
        for (String text : new String[] {"hello", "What is the derivative of x^2?", "Is this mole dangerous?"}) {
            classifier.classify(new ChatPrompt(List.of(new ChatPrompt.Turn("user", text))));
        }
        // warm-up passes are slow by nature: only requests' stages are timed
        return classifier.withStageTimings(metrics);
    }

    /**
     * Serves {@code version} from now on and records it in {@code current} and the history.
     *
     * @throws dev.expertrouter.routing.classifier.RouterModelException when the version cannot be loaded
     *                                                                  (nothing changes then)
     * @throws IllegalStateException when {@code router.model-version} pins the serving version
     */
    public synchronized String promote(String version) {
        refuseWhenPinned();
        String before = version();
        EmbeddingClassifier next = load(version);
        history.promoted(version);
        current = next;
        metrics.serving(version);
        LOG.infof("router model %s now serving (was %s)", version, before);
        return before;
    }

    /**
     * Serves the version that served before the current one.
     *
     * @return the version now serving
     * @throws IllegalStateException when none served before, or the version is pinned
     */
    public synchronized String rollback() {
        refuseWhenPinned();
        String before = version();
        EmbeddingClassifier previous = load(history.rollbackTarget());
        history.rolledBack();
        current = previous;
        metrics.serving(previous.version());
        LOG.infof("router model rolled back from %s to %s", before, previous.version());
        return previous.version();
    }

    private void refuseWhenPinned() {
        if (settings.modelVersion().isPresent() && !settings.modelVersion().get().isBlank()) {
            throw new IllegalStateException("router.model-version pins the serving version to '"
                    + settings.modelVersion().get() + "'; unset it to promote or roll back");
        }
    }

    /**
     * A prompt with no text to route (say, an empty user turn) is not refused: it is
     * {@code unknown} to the serving version, and the policy's default expert answers it, as an
     * OpenAI endpoint would.
     */
    @Override
    public Classification classify(ChatPrompt prompt) {
        PromptClassifier deciding = current; // read once: one version decides and is reported
        try {
            return deciding.classify(prompt);
        } catch (UnroutablePromptException e) {
            return new Classification(Classification.UNKNOWN_DOMAIN, 0, Map.of(), versionOf(deciding), null);
        }
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** The serving version, or {@code none}. */
    public String version() {
        return versionOf(current);
    }

    /** The serving model, for judging a candidate against it; empty when none serves. */
    public Optional<RouterModel> model() {
        return current instanceof EmbeddingClassifier c ? Optional.of(c.model()) : Optional.empty();
    }

    /** The models root this router loads from. */
    public Path root() {
        return root;
    }

    /** The versions that served, oldest first. */
    public List<String> history() {
        return history.versions();
    }

    /**
     * The serving embedder without its request cache, for training: training texts must not evict
     * the prompts callers repeat.
     */
    public synchronized PromptEmbedder embedder() {
        if (embedder == null) {
            embedder = embedderFactory.get();
            cachingEmbedder = new CachingEmbedder(embedder, EmbeddingClassifier.DEFAULT_CACHE_ENTRIES);
        }
        return embedder;
    }

    public PromptTextSelector selector() {
        return selector;
    }

    private static String versionOf(PromptClassifier classifier) {
        return classifier instanceof EmbeddingClassifier c ? c.version() : Classification.NO_VERSION;
    }
}
