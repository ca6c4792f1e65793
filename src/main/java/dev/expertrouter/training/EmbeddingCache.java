package dev.expertrouter.training;

import dev.expertrouter.Sha256;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Training embeddings kept on disk between runs, keyed by the sha256 of the embedder id and the
 * selected text, so a retrain does not embed the ~2,400 base prompts again (about a minute of CPU
 * on two cores). A key never goes stale: another text or another embedder is another key. One file
 * per embedder, {@code <dir>/<embedder>.bin}; saved by write-then-rename, so a crash leaves the
 * old file or the new one, never half of one. An unreadable file is ignored (and rebuilt), never
 * trusted. Only the texts' hashes are stored, never the texts.
 */
final class EmbeddingCache {

    private static final int MAGIC = 0x45524531; // "ERE1"

    private final Path file;
    private final String embedderId;
    private final int dimension;
    private final Map<String, float[]> entries = new LinkedHashMap<>();
    private int added;

    private EmbeddingCache(Path file, String embedderId, int dimension) {
        this.file = file;
        this.embedderId = embedderId;
        this.dimension = dimension;
    }

    /** Opens (or starts) the cache of one embedder in {@code dir}. */
    static EmbeddingCache open(Path dir, String embedderId, int dimension) {
        EmbeddingCache cache = new EmbeddingCache(dir.resolve(embedderId.replaceAll("[^A-Za-z0-9._-]", "_") + ".bin"),
                embedderId, dimension);
        cache.read();
        return cache;
    }

    Optional<float[]> get(String text) {
        return Optional.ofNullable(entries.get(key(text)));
    }

    void put(String text, float[] embedding) {
        if (embedding.length != dimension) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " dimensions, the cache holds " + dimension);
        }
        if (entries.put(key(text), embedding.clone()) == null) {
            added++;
        }
    }

    int size() {
        return entries.size();
    }

    /** Writes the cache if anything was added since it was read. */
    void save() {
        if (added == 0) {
            return;
        }
        Path temp = file.resolveSibling(".tmp-" + file.getFileName() + "-" + System.nanoTime());
        try {
            Files.createDirectories(file.getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
                out.writeInt(MAGIC);
                out.writeUTF(embedderId);
                out.writeInt(dimension);
                out.writeInt(entries.size());
                for (Map.Entry<String, float[]> e : entries.entrySet()) {
                    out.write(HexFormat.of().parseHex(e.getKey()));
                    for (float v : e.getValue()) {
                        out.writeFloat(v);
                    }
                }
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            added = 0;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort; a leftover .tmp- file is never read
            }
            throw new UncheckedIOException("cannot write the embedding cache " + file, e);
        }
    }

    private String key(String text) {
        return Sha256.hex(embedderId + "\u0000" + text);
    }

    private void read() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || !embedderId.equals(in.readUTF()) || in.readInt() != dimension) {
                return;
            }
            int count = in.readInt();
            byte[] hash = new byte[32];
            for (int i = 0; i < count; i++) {
                in.readFully(hash);
                float[] v = new float[dimension];
                for (int d = 0; d < dimension; d++) {
                    v[d] = in.readFloat();
                }
                entries.put(HexFormat.of().formatHex(hash), v);
            }
        } catch (EOFException e) {
            entries.clear(); // truncated: rebuild rather than trust part of it
        } catch (IOException e) {
            entries.clear();
        }
    }
}
