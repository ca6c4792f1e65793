package dev.expertrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Everything the gateway logs while it is open (its handler sits on the root logger, which Quarkus'
 * log manager feeds in the test JVM), so a test can assert that an attack left no stack trace.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<LogRecord> records = new ArrayList<>();

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord r) {
        synchronized (records) {
            records.add(r);
        }
    }

    public List<LogRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** No record carries a throwable, and none reads like a stack trace or an exception's text. */
    public void assertNoStackTrace() {
        for (LogRecord r : records()) {
            assertThat(r.getThrown()).as("logged with a throwable: " + r.getLoggerName() + " " + r.getMessage()).isNull();
            assertThat(String.valueOf(r.getMessage())).as("logged by " + r.getLoggerName())
                    .doesNotContain("\tat ").doesNotContain("Exception:");
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
