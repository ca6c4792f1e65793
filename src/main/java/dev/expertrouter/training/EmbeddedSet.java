package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.NeighbourIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Embedded training rows: the embedding, domain index and fine-class index of each example, and
 * how many times it counts when a head is trained ({@code copies}: 1 for the base data, the
 * configured weight for a corrected outcome). Repeating a row is how a weight reaches DL4J's loss
 * without a per-example mask, and it is undone by nothing: folds and held-out scores see each
 * example once, so a weighted example never lands on both sides of a fold.
 */
final class EmbeddedSet {

    final float[][] x;
    final int[] y;
    final int[] c;
    final int[] copies;

    EmbeddedSet(float[][] x, int[] y, int[] c) {
        this(x, y, c, ones(x.length));
    }

    EmbeddedSet(float[][] x, int[] y, int[] c, int[] copies) {
        if (y.length != x.length || c.length != x.length || copies.length != x.length) {
            throw new IllegalArgumentException("rows, domains, classes and copies differ in length");
        }
        this.x = x;
        this.y = y;
        this.c = c;
        this.copies = copies;
    }

    int size() {
        return x.length;
    }

    static EmbeddedSet concat(EmbeddedSet a, EmbeddedSet b) {
        int n = a.x.length + b.x.length;
        float[][] x = Arrays.copyOf(a.x, n);
        int[] y = Arrays.copyOf(a.y, n);
        int[] c = Arrays.copyOf(a.c, n);
        int[] copies = Arrays.copyOf(a.copies, n);
        System.arraycopy(b.x, 0, x, a.x.length, b.x.length);
        System.arraycopy(b.y, 0, y, a.y.length, b.y.length);
        System.arraycopy(b.c, 0, c, a.c.length, b.c.length);
        System.arraycopy(b.copies, 0, copies, a.copies.length, b.copies.length);
        return new EmbeddedSet(x, y, c, copies);
    }

    /** The rows as a head is trained on them: each repeated {@code copies} times, in order. */
    EmbeddedSet expanded() {
        if (Arrays.stream(copies).allMatch(k -> k == 1)) {
            return this;
        }
        int n = Arrays.stream(copies).sum();
        float[][] ex = new float[n][];
        int[] ey = new int[n];
        int[] ec = new int[n];
        int r = 0;
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < copies[i]; k++) {
                ex[r] = x[i];
                ey[r] = y[i];
                ec[r++] = c[i];
            }
        }
        return new EmbeddedSet(ex, ey, ec);
    }

    NeighbourIndex index(int domains, TrainOptions.Neighbours settings) {
        return new NeighbourIndex(x, y, domains, settings.k(), settings.tau(), settings.balance(),
                settings.whitened() ? WhiteningFit.fit(x) : null);
    }

    /** The rows whose fold is {@code f} ({@code inFold}) or is not. */
    EmbeddedSet select(int[] fold, int f, boolean inFold) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < fold.length; i++) {
            if ((fold[i] == f) == inFold) {
                rows.add(i);
            }
        }
        float[][] sx = new float[rows.size()][];
        int[] sy = new int[rows.size()];
        int[] sc = new int[rows.size()];
        int[] sk = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            sx[r] = x[rows.get(r)];
            sy[r] = y[rows.get(r)];
            sc[r] = c[rows.get(r)];
            sk[r] = copies[rows.get(r)];
        }
        return new EmbeddedSet(sx, sy, sc, sk);
    }

    private static int[] ones(int n) {
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        return ones;
    }
}
