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
    /** Format of the artifact layout; bumped when the loader can no longer read older ones. */
    public static final int FORMAT = 1;

    private RouterArtifactFiles() {
    }

    public static String memberFile(int index) {
        return MEMBER_PREFIX + index + MEMBER_SUFFIX;
    }
}
