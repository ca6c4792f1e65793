package dev.expertrouter.routing.classifier;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A k-nearest-neighbour vote over the labelled training embeddings: the {@code k} rows most
 * similar to the prompt (cosine) vote for their domain with weight
 * {@code exp((sim - bestSim) / tau) * prior(domain)^-balance}. It sees what the MLP heads smooth
 * away, a near-duplicate of a known question, so blended with them it routes better than either
 * alone; {@code balance} 1 counters the domains' unequal sizes, which macro recall rewards.
 *
 * <p>Similarity is cosine either between the embeddings themselves or, when the index has a
 * {@link Whitening}, between their whitened images: the rows are stored whitened and each query
 * is whitened once before the pass.
 *
 * <p>Immutable and lock-free: one query is a pass of dot products over the rows (about 2,000 x 384
 * multiply-adds for the shipped model, well under a millisecond).
 *
 * <p>File layout ({@code neighbours.bin}, little-endian): the magic {@code "ERNB"}, int version,
 * int rows, int dimension (the embedder's). Version 1 (raw cosine) then holds {@code rows *
 * dimension} float32 embeddings. Version 2 (whitened) holds int space dimension {@code s}, the
 * whitening's {@code dimension} float32 mean and {@code s * dimension} float32 axes, then {@code
 * rows * s} float32 whitened rows. Both end with {@code rows} int32 domain indices.
 */
public final class NeighbourIndex {

    private static final int MAGIC = 0x424E5245; // "ERNB" read as a little-endian int
    private static final int RAW_VERSION = 1;
    private static final int WHITENED_VERSION = 2;
    private static final int HEADER_BYTES = 16;

    private final float[] rows;
    private final int[] domains;
    private final int dimension;
    private final Whitening whitening;
    private final int spaceDimension;
    private final int domainCount;
    private final int k;
    private final double tau;
    private final double balance;
    private final double[] domainWeight;

    /**
     * @param embeddings one L2-normalised embedding per labelled example
     * @param domains    the domain index of each example, in {@code [0, domainCount)}
     */
    public NeighbourIndex(float[][] embeddings, int[] domains, int domainCount, int k, double tau, double balance) {
        this(embeddings, domains, domainCount, k, tau, balance, null);
    }

    /**
     * @param whitening the space similarity is measured in (its input dimension that of the
     *                  embeddings), or {@code null} for raw cosine
     */
    public NeighbourIndex(float[][] embeddings, int[] domains, int domainCount, int k, double tau, double balance,
            Whitening whitening) {
        this(flatten(embeddings, whitening), domains, embeddings.length == 0 ? 0 : embeddings[0].length, whitening,
                domainCount, k, tau, balance);
    }

    private NeighbourIndex(float[] rows, int[] domains, int dimension, Whitening whitening, int domainCount, int k,
            double tau, double balance) {
        int spaceDimension = whitening == null ? dimension : whitening.outputDimension();
        if (domains.length == 0 || dimension < 1 || rows.length != domains.length * spaceDimension) {
            throw new IllegalArgumentException("a neighbour index needs rows of one dimension and a domain per row");
        }
        checkSettings(k, tau, balance);
        int[] counts = new int[domainCount];
        for (int d : domains) {
            if (d < 0 || d >= domainCount) {
                throw new IllegalArgumentException("a row names domain index " + d + " outside [0, " + domainCount + ")");
            }
            counts[d]++;
        }
        this.rows = rows;
        this.domains = domains.clone();
        this.dimension = dimension;
        this.whitening = whitening;
        this.spaceDimension = spaceDimension;
        this.domainCount = domainCount;
        this.k = Math.min(k, domains.length);
        this.tau = tau;
        this.balance = balance;
        this.domainWeight = new double[domainCount];
        for (int d = 0; d < domainCount; d++) {
            double prior = counts[d] == 0 ? 1 : (double) counts[d] / domains.length;
            domainWeight[d] = Math.pow(prior, -balance);
        }
    }

    /** @throws IllegalArgumentException unless k >= 1, tau is positive and balance non-negative (both finite) */
    public static void checkSettings(int k, double tau, double balance) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        if (!(tau > 0) || Double.isInfinite(tau) || !(balance >= 0) || Double.isInfinite(balance)) {
            throw new IllegalArgumentException("tau must be positive and balance non-negative, were " + tau + " and "
                    + balance);
        }
    }

    public int size() {
        return domains.length;
    }

    public int dimension() {
        return dimension;
    }

    public int k() {
        return k;
    }

    /** Whether similarity is measured between whitened embeddings rather than raw ones. */
    public boolean whitened() {
        return whitening != null;
    }

    public double tau() {
        return tau;
    }

    public double balance() {
        return balance;
    }

    /** The vote, normalised to sum to 1, per domain index. */
    public double[] probabilities(float[] embedding) {
        if (embedding.length != dimension) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " dimensions, the index "
                    + dimension);
        }
        float[] query = embedding;
        double scale = 1;
        if (whitening != null) {
            query = whitening.apply(embedding);
        } else {
            double norm = 0;
            for (float v : embedding) {
                norm += v * v;
            }
            scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        }
        // Top k by insertion into a small sorted array: k is ~10, the rows ~2,000.
        double[] bestSim = new double[k];
        int[] bestRow = new int[k];
        java.util.Arrays.fill(bestSim, Double.NEGATIVE_INFINITY);
        for (int r = 0, base = 0; r < domains.length; r++, base += spaceDimension) {
            double sim = dot(rows, base, query, spaceDimension) * scale;
            if (sim <= bestSim[k - 1]) {
                continue;
            }
            int at = k - 1;
            while (at > 0 && bestSim[at - 1] < sim) {
                bestSim[at] = bestSim[at - 1];
                bestRow[at] = bestRow[at - 1];
                at--;
            }
            bestSim[at] = sim;
            bestRow[at] = r;
        }
        double[] vote = new double[domainCount];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            int d = domains[bestRow[i]];
            double w = Math.exp((bestSim[i] - bestSim[0]) / tau) * domainWeight[d];
            vote[d] += w;
            sum += w;
        }
        for (int d = 0; d < domainCount; d++) {
            vote[d] /= sum;
        }
        return vote;
    }

    /** {@code a[offset .. offset + n)} dotted with {@code b[0 .. n)}. */
    static float dot(float[] a, int offset, float[] b, int n) {
        // Four independent sums keep the multiply-adds in flight; one chained sum is 3-4x slower.
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int blocked = n & ~3;
        int j = 0;
        for (; j < blocked; j += 4) {
            s0 += a[offset + j] * b[j];
            s1 += a[offset + j + 1] * b[j + 1];
            s2 += a[offset + j + 2] * b[j + 2];
            s3 += a[offset + j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[offset + j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Writes the rows and their domains (and the whitening); k, tau and balance live in calibration.json. */
    public void write(Path file) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC).putInt(whitening == null ? RAW_VERSION : WHITENED_VERSION).putInt(domains.length)
                    .putInt(dimension);
            out.write(header.array());
            int whiteningFloats = whitening == null ? 0 : 1 + dimension + whitening.axes().length;
            ByteBuffer body = ByteBuffer.allocate((whiteningFloats + rows.length + domains.length) * 4)
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (whitening != null) {
                body.putInt(spaceDimension);
                for (float v : whitening.mean()) {
                    body.putFloat(v);
                }
                for (float v : whitening.axes()) {
                    body.putFloat(v);
                }
            }
            for (float v : rows) {
                body.putFloat(v);
            }
            for (int d : domains) {
                body.putInt(d);
            }
            out.write(body.array());
        }
    }

    /**
     * @throws RouterModelException when the file is not a neighbour index of the expected dimension
     *                              and domain count, or is truncated or over-long
     */
    public static NeighbourIndex read(Path file, int expectedDimension, int domainCount, int k, double tau,
            double balance) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RouterModelException("cannot read " + file, e);
        }
        if (bytes.length < HEADER_BYTES) {
            throw new RouterModelException(file + ": truncated neighbour index (" + bytes.length + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt();
        int version = in.getInt();
        if (magic != MAGIC || (version != RAW_VERSION && version != WHITENED_VERSION)) {
            throw new RouterModelException(file + ": not a neighbour index (bad magic or version)");
        }
        int count = in.getInt();
        int dimension = in.getInt();
        if (dimension != expectedDimension) {
            throw new RouterModelException(file + ": holds " + dimension + "-dimension embeddings, the embedder gives "
                    + expectedDimension);
        }
        int space = dimension;
        if (version == WHITENED_VERSION) {
            space = bytes.length >= HEADER_BYTES + 4 ? in.getInt() : -1;
            if (space < 1 || space > dimension) {
                throw new RouterModelException(file + ": whitened space of " + space + " dimensions, expected 1.."
                        + dimension);
            }
        }
        long whiteningBytes = version == WHITENED_VERSION ? 4 + (long) dimension * 4 + (long) space * dimension * 4 : 0;
        long expected = HEADER_BYTES + whiteningBytes + (long) count * space * 4 + (long) count * 4;
        if (count < 1 || expected != bytes.length) {
            throw new RouterModelException(file + ": " + bytes.length + " bytes, expected " + expected + " for "
                    + count + " rows");
        }
        Whitening whitening = null;
        if (version == WHITENED_VERSION) {
            float[] mean = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                mean[i] = in.getFloat();
            }
            float[] axes = new float[space * dimension];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = in.getFloat();
            }
            try {
                whitening = new Whitening(mean, axes, space);
            } catch (IllegalArgumentException e) {
                throw new RouterModelException(file + ": " + e.getMessage(), e);
            }
        }
        float[] rows = new float[count * space];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = in.getFloat();
        }
        int[] domains = new int[count];
        for (int i = 0; i < count; i++) {
            domains[i] = in.getInt();
        }
        try {
            return new NeighbourIndex(rows, domains, dimension, whitening, domainCount, k, tau, balance);
        } catch (IllegalArgumentException e) {
            throw new RouterModelException(file + ": " + e.getMessage(), e);
        }
    }

    /** The rows as stored: the embeddings themselves, or their whitened images. */
    private static float[] flatten(float[][] embeddings, Whitening whitening) {
        if (embeddings.length == 0) {
            return new float[0];
        }
        int dimension = embeddings[0].length;
        if (whitening != null && whitening.inputDimension() != dimension) {
            throw new IllegalArgumentException("the whitening takes " + whitening.inputDimension()
                    + " dimensions, the embeddings have " + dimension);
        }
        int space = whitening == null ? dimension : whitening.outputDimension();
        float[] flat = new float[embeddings.length * space];
        for (int i = 0; i < embeddings.length; i++) {
            if (embeddings[i].length != dimension) {
                throw new IllegalArgumentException("embeddings differ in dimension");
            }
            float[] row = whitening == null ? embeddings[i] : whitening.apply(embeddings[i]);
            System.arraycopy(row, 0, flat, i * space, space);
        }
        return flat;
    }
}
