package dev.expertrouter.routing.serving;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes the calling thread a background worker: Linux ignores Java thread priorities, so the
 * thread lowers its own scheduling priority ({@code renice 19} on its task id; threads it starts
 * inherit it), and ND4J and OpenBLAS are held to one thread each, so training takes one core at
 * most and yields it to serving whenever serving wants it.
 */
final class LowPriority {

    private static final Logger LOG = Logger.getLogger(LowPriority.class);

    private LowPriority() {
    }

    static void apply() {
        try {
            // /proc/thread-self -> <pid>/task/<tid>
            String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", "19", "-p", tid).redirectErrorStream(true).start();
            renice.getInputStream().readAllBytes();
            if (!renice.waitFor(5, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                LOG.warn("could not lower the retrain thread's priority (renice failed); it runs at normal priority");
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warnf("could not lower the retrain thread's priority (%s); it runs at normal priority", e.toString());
        }
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
    }
}
