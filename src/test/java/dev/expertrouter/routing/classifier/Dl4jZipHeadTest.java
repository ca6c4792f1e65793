package dev.expertrouter.routing.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ND4J-free reader gives exactly the head DL4J's own deserialiser gives. */
class Dl4jZipHeadTest {

    private static final Path MEMBER = Path.of("router-models/v4/member-0.zip");

    @Test
    void readsTheShippedMemberExactlyAsDl4jDoes() throws Exception {
        MlpHead ours = Dl4jZipHead.read(MEMBER);
        MlpHead dl4j = RouterModelLoader.headOf(ModelSerializer.restoreMultiLayerNetwork(MEMBER.toFile(), false));
        assertThat(ours.layers()).hasSameSizeAs(dl4j.layers());
        for (int l = 0; l < ours.layers().size(); l++) {
            DenseLayerWeights a = ours.layers().get(l);
            DenseLayerWeights b = dl4j.layers().get(l);
            assertThat(a.in()).isEqualTo(b.in());
            assertThat(a.out()).isEqualTo(b.out());
            assertThat(a.relu()).isEqualTo(b.relu());
            assertThat(a.weights()).containsExactly(b.weights());
            assertThat(a.bias()).containsExactly(b.bias());
        }
        float[] x = new float[ours.layers().get(0).in()];
        Random r = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        assertThat(ours.logits(x)).containsExactly(dl4j.logits(x));
    }

    @Test
    void refusesATruncatedZip(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("member.zip");
        byte[] bytes = Files.readAllBytes(MEMBER);
        Files.write(broken, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> Dl4jZipHead.read(broken)).isInstanceOf(IOException.class);
    }
}
