package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.Whitening;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fits the {@link Whitening} of a set of embeddings: their mean, and the eigenvectors of their
 * covariance (LAPACK through ND4J), largest first, each divided by {@code sqrt(eigenvalue +
 * shrinkage * mean eigenvalue)}. Directions with no variance to speak of (eigenvalue below
 * {@link #RELATIVE_FLOOR} of the largest) are dropped: MiniLM's embeddings have one, and any set
 * with fewer rows than dimensions has many.
 *
 * <p>Shrinkage keeps the smallest directions, estimated from ~5 rows per dimension, from being
 * scaled up as much as the reliable ones. {@link #DEFAULT_SHRINKAGE} 0.5 scored out of fold as
 * well as any value from 0.25 to 4 (and as full whitening) while leaving the vote less sensitive
 * to those noisy directions; see router-models/README.md.
 */
final class WhiteningFit {

    static final double RELATIVE_FLOOR = 1e-6;
    static final double DEFAULT_SHRINKAGE = 0.5;

    private WhiteningFit() {
    }

    static Whitening fit(float[][] rows) {
        return fit(rows, DEFAULT_SHRINKAGE);
    }

    /** @param shrinkage added to each eigenvalue, as a multiple of their mean; 0 whitens fully */
    static Whitening fit(float[][] rows, double shrinkage) {
        if (!(shrinkage >= 0) || Double.isInfinite(shrinkage)) {
            throw new IllegalArgumentException("shrinkage must be finite and >= 0, was " + shrinkage);
        }
        if (rows.length < 2) {
            throw new IllegalArgumentException("whitening needs at least 2 rows, got " + rows.length);
        }
        int n = rows.length;
        int d = rows[0].length;
        double[] mean = new double[d];
        for (float[] row : rows) {
            for (int i = 0; i < d; i++) {
                mean[i] += row[i];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] /= n;
        }
        double[][] centred = new double[n][d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                centred[r][i] = rows[r][i] - mean[i];
            }
        }
        INDArray x = Nd4j.create(centred).castTo(DataType.DOUBLE);
        INDArray covariance = x.transpose().mmul(x).divi(n - 1);
        // Eigenvalues ascending; the columns of covariance become the matching eigenvectors.
        INDArray eigenvalues = Eigen.symmetricGeneralizedEigenvalues(covariance, true);
        double largest = eigenvalues.getDouble(d - 1);
        double meanEigenvalue = eigenvalues.sumNumber().doubleValue() / d;
        int kept = 0;
        while (kept < d && eigenvalues.getDouble(d - 1 - kept) > RELATIVE_FLOOR * largest) {
            kept++;
        }
        if (!(largest > 0) || kept == 0) {
            throw new IllegalArgumentException("the rows do not vary: nothing to whiten");
        }
        float[] axes = new float[kept * d];
        for (int j = 0; j < kept; j++) {
            int column = d - 1 - j;
            double scale = 1 / Math.sqrt(eigenvalues.getDouble(column) + shrinkage * Math.max(0, meanEigenvalue));
            for (int i = 0; i < d; i++) {
                axes[j * d + i] = (float) (covariance.getDouble(i, column) * scale);
            }
        }
        float[] meanF = new float[d];
        for (int i = 0; i < d; i++) {
            meanF[i] = (float) mean[i];
        }
        return new Whitening(meanF, axes, kept);
    }
}
