package dev.expertrouter.outcomes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The durable local queue of outcomes Redis could not take: append-only segment files
 * {@code segment-<seq>.jsonl} of one encoded record per line, fsync'ed per batch, rotated by size,
 * read back oldest first and deleted only once every record in them reached Redis. A process that
 * dies mid-write leaves at most a torn last line, which {@link #read} reports and skips.
 *
 * <p>Thread-safe: the writer thread and, under overload, the request path append.
 */
public final class OutcomeSpool implements AutoCloseable {

    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".jsonl";

    private final Path dir;
    private final long segmentBytes;
    private long nextSeq;
    private FileChannel active;
    private Path activePath;
    private long activeRecords;
    private boolean dirty;
    private long depth;

    /** A segment read back: its complete records, and how many torn or unreadable lines it held. */
    public record Segment(Path path, List<String> records, int torn) {
    }

    public OutcomeSpool(Path dir, long segmentBytes) throws IOException {
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segmentBytes must be at least 1024, got " + segmentBytes);
        }
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        long maxSeq = 0;
        for (Path p : segments()) {
            maxSeq = Math.max(maxSeq, seq(p));
            depth += read(p).records().size();
        }
        // never append to a segment of an earlier run: it may end with a torn line
        nextSeq = maxSeq + 1;
    }

    /** Appends records as lines; with {@code sync} they are on disk when this returns. */
    public synchronized void append(List<String> records, boolean sync) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        if (active == null) {
            activePath = dir.resolve(String.format("%s%020d%s", PREFIX, nextSeq++, SUFFIX));
            active = FileChannel.open(activePath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            activeRecords = 0;
            syncDirectory();
        }
        StringBuilder text = new StringBuilder();
        for (String r : records) {
            text.append(r).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            active.write(bytes);
        }
        activeRecords += records.size();
        depth += records.size();
        dirty = true;
        if (sync) {
            sync();
        }
        if (active.size() >= segmentBytes) {
            seal();
        }
    }

    /** Forces appended records to disk (a no-op when nothing was appended since the last call). */
    public synchronized void sync() throws IOException {
        if (dirty && active != null) {
            active.force(false);
        }
        dirty = false;
    }

    /** Records waiting in the spool (complete lines). */
    public synchronized long depth() {
        return depth;
    }

    /**
     * The oldest segment to replay; seals the segment being appended to when it is the only one,
     * so new records go to a fresh file while it is replayed.
     */
    public synchronized Optional<Segment> oldest() throws IOException {
        List<Path> all = segments();
        for (Path p : all) {
            if (!p.equals(activePath)) {
                return Optional.of(read(p));
            }
        }
        if (active != null && activeRecords > 0) {
            Path sealed = activePath;
            seal();
            return Optional.of(read(sealed));
        }
        return Optional.empty();
    }

    /** Deletes a replayed segment. */
    public synchronized void delete(Segment s) throws IOException {
        if (Files.deleteIfExists(s.path())) {
            depth = Math.max(0, depth - s.records().size());
            syncDirectory();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        seal();
    }

    private void seal() throws IOException {
        if (active != null) {
            active.force(false);
            active.close();
            active = null;
            activePath = null;
            dirty = false;
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.getFileName().toString().endsWith(SUFFIX))
                    .sorted().toList();
        }
    }

    private static long seq(Path p) {
        String name = p.getFileName().toString();
        try {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Complete lines are records; a last line without its newline is torn (the writer died mid-line). */
    static Segment read(Path p) throws IOException {
        String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        List<String> records = new ArrayList<>();
        int torn = 0;
        int start = 0;
        for (int nl; (nl = text.indexOf('\n', start)) >= 0; start = nl + 1) {
            String line = text.substring(start, nl);
            if (!line.isBlank()) {
                records.add(line);
            }
        }
        if (start < text.length() && !text.substring(start).isBlank()) {
            torn++;
        }
        return new Segment(p, records, torn);
    }

    private void syncDirectory() {
        // makes a created or deleted segment's directory entry durable; not every file system allows it
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }
}
