package dev.expertrouter.training;

import dev.expertrouter.routing.classifier.RouterArtifactFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Which versions served, in order: {@code <root>/history} (one version a line, oldest first, the
 * last one serving) beside {@code <root>/current}. A promotion appends, a rollback drops the last
 * line and points {@code current} at the one before. Both files are replaced by write-then-rename,
 * so a crash leaves either the old pair of lines or the new. Without a history file the history is
 * just {@code current}.
 */
public final class ReleaseHistory {

    public static final String FILE = "history";

    private final Path root;

    public ReleaseHistory(Path root) {
        this.root = root;
    }

    /** The versions that served, oldest first; empty when nothing ever served. */
    public synchronized List<String> versions() {
        Path file = root.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(s -> !s.isEmpty()).toList();
            }
            Path current = root.resolve(RouterArtifactFiles.CURRENT);
            if (Files.isRegularFile(current)) {
                String version = Files.readString(current, StandardCharsets.UTF_8).strip();
                return version.isEmpty() ? List.of() : List.of(version);
            }
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Records {@code version} as serving: history first, then {@code current}. */
    public synchronized void promoted(String version) {
        List<String> versions = new ArrayList<>(versions());
        if (versions.isEmpty() || !versions.get(versions.size() - 1).equals(version)) {
            versions.add(version);
        }
        write(versions);
        RouterArtifactWriter.promote(root, version);
    }

    /**
     * The version a rollback returns to: the one that served before the current one.
     *
     * @throws IllegalStateException when no version served before the current one
     */
    public synchronized String rollbackTarget() {
        List<String> versions = versions();
        if (versions.size() < 2) {
            throw new IllegalStateException("nothing to roll back to: " + (versions.isEmpty()
                    ? "no version has served" : versions.get(0) + " is the only version that has served"));
        }
        return versions.get(versions.size() - 2);
    }

    /** Records the rollback: the last version leaves the history and {@code current} names the one before. */
    public synchronized String rolledBack() {
        String target = rollbackTarget();
        List<String> versions = new ArrayList<>(versions());
        versions.remove(versions.size() - 1);
        write(versions);
        RouterArtifactWriter.promote(root, target);
        return target;
    }

    private void write(List<String> versions) {
        Path temp = root.resolve(".history-" + System.nanoTime());
        try {
            Files.write(temp, versions, StandardCharsets.UTF_8);
            Files.move(temp, root.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: a leftover .history- file is never read
            }
            throw new UncheckedIOException("cannot write " + root.resolve(FILE), e);
        }
    }
}
