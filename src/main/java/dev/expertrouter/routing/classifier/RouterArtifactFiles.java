package dev.expertrouter.routing.classifier;

/**
 * File names inside {@code router-models/}: one directory per version plus a {@code current}
 * text file naming the serving version. Training writes them, the loader checks them.
 */
public final class RouterArtifactFiles {

    /** Text file in the models root whose single line names the serving version. */
    public static final String CURRENT = "current";
    public static final String METADATA = "metadata.json";
    /** The domains, in output order. */
    public static final String LABELS = "labels.json";
    /** The fine classes the heads output, in order, each with its domain: [{"name", "domain"}]. */
    public static final String CLASSES = "classes.json";
    public static final String CALIBRATION = "calibration.json";
    /** DL4J {@code MultiLayerNetwork} files, one per ensemble member: member-0.zip, member-1.zip, ... */
    public static final String MEMBER_PREFIX = "member-";
    public static final String MEMBER_SUFFIX = ".zip";
    /** The k-nearest-neighbour index a format-2 model blends with its heads ({@link NeighbourIndex}). */
    public static final String NEIGHBOURS = "neighbours.bin";
    /** calibration.json's {@code neighbours.space}: the vote compares raw embeddings (format 2's only kind). */
    public static final String COSINE_SPACE = "cosine";
    /** ... or whitened ones, the whitening stored in {@link #NEIGHBOURS} (format 3). */
    public static final String WHITENED_SPACE = "whitened";
    /**
     * Format of the artifact layout written now; bumped when an older loader could not read a new
     * artifact correctly. 2 added {@link #NEIGHBOURS} and the {@code neighbours} block of
     * calibration.json, which a format-1 loader would silently ignore. 3 added the whitened
     * neighbour space, a neighbours.bin a format-2 loader cannot read.
     */
    public static final int FORMAT = 3;
    /** Formats this loader reads: 1 (heads only), 2 (heads + cosine vote) and 3. */
    public static final java.util.Set<Integer> READABLE_FORMATS = java.util.Set.of(1, 2, 3);

    private RouterArtifactFiles() {
    }

    /** The {@code neighbours.space} name of an index that is, or is not, whitened. */
    public static String space(boolean whitened) {
        return whitened ? WHITENED_SPACE : COSINE_SPACE;
    }

    public static String memberFile(int index) {
        return MEMBER_PREFIX + index + MEMBER_SUFFIX;
    }
}
