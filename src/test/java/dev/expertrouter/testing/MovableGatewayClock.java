package dev.expertrouter.testing;

import dev.expertrouter.GatewayClock;
import java.time.Instant;

/** A gateway clock whose wall time a test sets by hand ({@code now}); its nano clock stands at 0. */
public final class MovableGatewayClock implements GatewayClock {

    /** The wall time every read returns until the test moves it. */
    public volatile Instant now;

    public MovableGatewayClock(Instant start) {
        this.now = start;
    }

    @Override
    public long nanoTime() {
        return 0;
    }

    @Override
    public Instant now() {
        return now;
    }
}
