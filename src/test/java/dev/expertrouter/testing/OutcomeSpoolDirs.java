package dev.expertrouter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** A fresh outcome spool directory per Quarkus profile, so no test replays another's records. */
public final class OutcomeSpoolDirs {

    private OutcomeSpoolDirs() {
    }

    public static String fresh() {
        try {
            return Files.createTempDirectory("outcome-spool").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
