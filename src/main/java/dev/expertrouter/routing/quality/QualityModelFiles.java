package dev.expertrouter.routing.quality;

/**
 * The quality predictor's files: a self-describing {@code quality/} directory inside a router
 * model version ({@code router-models/<version>/quality/}), written atomically by training.
 */
public final class QualityModelFiles {

    public static final String DIRECTORY = "quality";
    /** Experts, domains, evidence, evaluation metrics, gate verdict and each other file's sha256. */
    public static final String METADATA = "metadata.json";
    /** The DL4J {@code MultiLayerNetwork}, copied into plain float layers at load. */
    public static final String NETWORK = "network.zip";
    public static final int FORMAT = 1;

    private QualityModelFiles() {
    }
}
