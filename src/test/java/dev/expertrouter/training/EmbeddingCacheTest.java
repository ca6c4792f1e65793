package dev.expertrouter.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {

    @TempDir
    Path dir;

    @Test
    void keepsEmbeddingsPerEmbedderAndTextAcrossRuns() throws IOException {
        EmbeddingCache cache = EmbeddingCache.open(dir, "emb/a", 3);
        cache.put("hello", new float[] {1, 2, 3});
        cache.save();
        assertThat(EmbeddingCache.open(dir, "emb/a", 3).get("hello")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
        assertThat(EmbeddingCache.open(dir, "emb/a", 3).get("hello ")).isEmpty();
        assertThat(EmbeddingCache.open(dir, "emb/b", 3).get("hello")).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("emb_a.bin");
        }
        assertThat(Files.readString(dir.resolve("emb_a.bin"), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("hello");
    }

    @Test
    void aTruncatedOrForeignFileIsIgnoredNotTrusted() throws IOException {
        EmbeddingCache cache = EmbeddingCache.open(dir, "emb", 3);
        cache.put("a", new float[] {1, 2, 3});
        cache.put("b", new float[] {4, 5, 6});
        cache.save();
        Path file = dir.resolve("emb.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        assertThat(EmbeddingCache.open(dir, "emb", 3).size()).isZero();
        Files.writeString(file, "not a cache");
        assertThat(EmbeddingCache.open(dir, "emb", 3).size()).isZero();
        assertThat(EmbeddingCache.open(dir, "emb", 4).size()).isZero();
    }
}
