package dev.expertrouter.testing;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for something the gateway does asynchronously (a reload, a stream slot freed) by polling,
 * and fails the test when the deadline passes: a wait that merely times out would let the
 * assertions after it pass or fail for the wrong reason.
 */
public final class Deadline {

    /** Long enough for a busy 2-core machine; a healthy wait ends in well under a second. */
    public static final Duration DEFAULT = Duration.ofSeconds(15);

    private Deadline() {
    }

    public static void await(String what, BooleanSupplier condition) {
        await(what, DEFAULT, condition);
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - until > 0) {
                fail("waited " + timeout.toMillis() + " ms for: " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what);
            }
        }
    }
}
