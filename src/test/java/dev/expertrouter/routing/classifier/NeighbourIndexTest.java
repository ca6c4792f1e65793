package dev.expertrouter.routing.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeighbourIndexTest {

    /** Unit vectors on a circle: angle in degrees. */
    private static float[] at(double degrees) {
        double r = Math.toRadians(degrees);
        return new float[] {(float) Math.cos(r), (float) Math.sin(r), 0};
    }

    @Test
    void theNearestRowsDecideTheVote() {
        NeighbourIndex index = new NeighbourIndex(new float[][] {at(0), at(5), at(90), at(95), at(180)},
                new int[] {0, 0, 1, 1, 2}, 3, 2, 0.1, 0);
        double[] p = index.probabilities(at(2));
        assertThat(p[0]).isEqualTo(1.0);
        assertThat(index.probabilities(at(88))[1]).isEqualTo(1.0);
        // k = 2 around 135 degrees: one row of domain 1 and one of domain 2, equally near.
        double[] split = new NeighbourIndex(new float[][] {at(90), at(180)}, new int[] {1, 2}, 3, 2, 0.1, 0)
                .probabilities(at(135));
        assertThat(split[1]).isCloseTo(0.5, within(1e-6));
        assertThat(split[2]).isCloseTo(0.5, within(1e-6));
        assertThat(Arrays.stream(index.probabilities(at(47))).sum()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aNearerRowWeighsMoreAndTauSetsHowMuch() {
        float[][] rows = {at(0), at(40)};
        int[] domains = {0, 1};
        double sharp = new NeighbourIndex(rows, domains, 2, 2, 0.01, 0).probabilities(at(5))[0];
        double soft = new NeighbourIndex(rows, domains, 2, 2, 1.0, 0).probabilities(at(5))[0];
        assertThat(sharp).isGreaterThan(0.99);
        assertThat(soft).isGreaterThan(0.5).isLessThan(0.6);
    }

    @Test
    void balanceCountersADomainsSize() {
        // Three rows of domain 0 and one of domain 1, all equally similar to the query.
        float[][] rows = {at(10), at(-10), at(10), at(-10)};
        int[] domains = {0, 0, 0, 1};
        double[] plain = new NeighbourIndex(rows, domains, 2, 4, 0.1, 0).probabilities(at(0));
        double[] balanced = new NeighbourIndex(rows, domains, 2, 4, 0.1, 1).probabilities(at(0));
        assertThat(plain[0]).isCloseTo(0.75, within(1e-6));
        // priors 3/4 and 1/4: weights 4/3 and 4, so 3 * 4/3 = 4 against 4.
        assertThat(balanced[0]).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void queriesNeedNotBeNormalised() {
        NeighbourIndex index = new NeighbourIndex(new float[][] {at(0), at(60)}, new int[] {0, 1}, 2, 2, 0.1, 0);
        float[] query = at(20);
        float[] scaled = {query[0] * 7, query[1] * 7, 0};
        assertThat(index.probabilities(scaled)).usingComparatorWithPrecision(1e-6).containsExactly(index.probabilities(query));
        assertThatThrownBy(() -> index.probabilities(new float[2])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writeThenReadGivesTheSameVotes(@TempDir Path dir) throws IOException {
        NeighbourIndex index = new NeighbourIndex(new float[][] {at(0), at(33), at(91), at(200)},
                new int[] {0, 1, 2, 1}, 3, 3, 0.1, 1);
        Path file = dir.resolve("neighbours.bin");
        index.write(file);
        assertThat(Files.size(file)).isEqualTo(16 + 4 * 3 * 4 + 4 * 4);
        NeighbourIndex read = NeighbourIndex.read(file, 3, 3, 3, 0.1, 1);
        for (double angle : List.of(5.0, 60.0, 150.0, 300.0)) {
            assertThat(read.probabilities(at(angle))).containsExactly(index.probabilities(at(angle)));
        }
    }

    @Test
    void aDamagedOrMismatchedFileIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("neighbours.bin");
        new NeighbourIndex(new float[][] {at(0), at(90)}, new int[] {0, 1}, 2, 1, 0.1, 1).write(file);
        byte[] whole = Files.readAllBytes(file);

        assertThatThrownBy(() -> NeighbourIndex.read(file, 384, 2, 1, 0.1, 1))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("384");

        Files.write(file, Arrays.copyOf(whole, whole.length - 3));
        assertThatThrownBy(() -> NeighbourIndex.read(file, 3, 2, 1, 0.1, 1))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("bytes").hasMessageContaining("neighbours.bin");

        byte[] badMagic = whole.clone();
        badMagic[0] = 'X';
        Files.write(file, badMagic);
        assertThatThrownBy(() -> NeighbourIndex.read(file, 3, 2, 1, 0.1, 1))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("magic");

        Files.write(file, whole);
        // The file names domain 1, which a one-domain model does not have.
        assertThatThrownBy(() -> NeighbourIndex.read(file, 3, 1, 1, 0.1, 1))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("domain index 1");
    }

    /** Scales x by 1/2 and y by 1/0.1 around the mean (0, 0, 1); z does not vary and is dropped. */
    private static Whitening xyWhitening() {
        return new Whitening(new float[] {0, 0, 1}, new float[] {0.5f, 0, 0, 0, 10, 0}, 2);
    }

    @Test
    void inAWhitenedSpaceADirectionCountsByHowLittleItVaries() {
        // x varies widely and says nothing about the domain; y varies little and says everything.
        float[][] rows = {{-2, 0.1f, 1}, {2, 0.1f, 1}, {0.9f, -0.1f, 1}};
        int[] domains = {0, 0, 1};
        float[] query = {1, 0.1f, 1};
        float[][] unit = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double norm = Math.sqrt(rows[i][0] * rows[i][0] + rows[i][1] * rows[i][1] + rows[i][2] * rows[i][2]);
            unit[i] = new float[] {(float) (rows[i][0] / norm), (float) (rows[i][1] / norm), (float) (rows[i][2] / norm)};
        }
        double[] raw = new NeighbourIndex(unit, domains, 2, 1, 0.1, 0).probabilities(query);
        NeighbourIndex whitened = new NeighbourIndex(rows, domains, 2, 1, 0.1, 0, xyWhitening());
        assertThat(raw[1]).isEqualTo(1.0);
        assertThat(whitened.probabilities(query)[0]).isEqualTo(1.0);
        assertThat(whitened.whitened()).isTrue();
        assertThat(whitened.dimension()).isEqualTo(3);
        assertThatThrownBy(() -> new NeighbourIndex(new float[][] {{1, 0}}, new int[] {0}, 1, 1, 0.1, 0, xyWhitening()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whitening takes 3");
    }

    @Test
    void aWhitenedIndexWritesItsWhiteningAndReadsBackTheSameVotes(@TempDir Path dir) throws IOException {
        float[][] rows = {{-2, 0.1f, 1}, {2, 0.1f, 1}, {0.9f, -0.1f, 1}, {-1, -0.1f, 1}};
        NeighbourIndex index = new NeighbourIndex(rows, new int[] {0, 0, 1, 1}, 2, 2, 0.1, 1, xyWhitening());
        Path file = dir.resolve("neighbours.bin");
        index.write(file);
        // header, space dimension, mean (3), axes (2 x 3), rows (4 x 2), domains (4)
        assertThat(Files.size(file)).isEqualTo(16 + 4 + 3 * 4 + 6 * 4 + 8 * 4 + 4 * 4);
        NeighbourIndex read = NeighbourIndex.read(file, 3, 2, 2, 0.1, 1);
        assertThat(read.whitened()).isTrue();
        for (float[] q : List.of(new float[] {1, 0.1f, 1}, new float[] {-3, -0.05f, 2}, new float[] {0, 1, 0})) {
            assertThat(read.probabilities(q)).containsExactly(index.probabilities(q));
        }

        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 4));
        assertThatThrownBy(() -> NeighbourIndex.read(file, 3, 2, 2, 0.1, 1))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("bytes");
        byte[] wideSpace = whole.clone();
        wideSpace[16] = 4; // a 4-dimension space from 3-dimension embeddings
        Files.write(file, wideSpace);
        assertThatThrownBy(() -> NeighbourIndex.read(file, 3, 2, 2, 0.1, 1))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("whitened space of 4");
        byte[] notANumber = whole.clone();
        java.nio.ByteBuffer.wrap(notANumber).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(20, Float.NaN);
        Files.write(file, notANumber);
        assertThatThrownBy(() -> NeighbourIndex.read(file, 3, 2, 2, 0.1, 1))
                .isInstanceOf(RouterModelException.class).hasMessageContaining("non-finite");
    }

    @Test
    void theBlendSitsBetweenHeadsAndVoteAndItsTemperatureSharpensOrSoftens() {
        NeighbourIndex index = new NeighbourIndex(new float[][] {at(0)}, new int[] {1}, 2, 1, 0.1, 0);
        NeighbourBlend blend = new NeighbourBlend(index, 0.5, 1.0);
        double[] heads = {0.8, 0.2};
        double[] vote = index.probabilities(at(0));
        assertThat(vote).containsExactly(0.0, 1.0);
        double[] p = RouterModel.softmax(blend.scores(heads, vote), 1.0);
        // geometric mean of (0.8, 0.2) and (1e-4 floor, 1): sqrt(0.8e-4) against sqrt(0.2)
        assertThat(p[1]).isCloseTo(Math.sqrt(0.2) / (Math.sqrt(0.2) + Math.sqrt(0.8e-4)), within(1e-9));
        double[] onlyHeads = RouterModel.softmax(new NeighbourBlend(index, 1.0, 1.0).scores(heads, vote), 1.0);
        assertThat(onlyHeads[0]).isCloseTo(0.8, within(1e-9));
        double[] softer = RouterModel.softmax(blend.scores(heads, vote), 3.0);
        assertThat(softer[1]).isLessThan(p[1]).isGreaterThan(0.5);
        assertThatThrownBy(() -> new NeighbourBlend(index, 1.5, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NeighbourBlend(index, 0.5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
