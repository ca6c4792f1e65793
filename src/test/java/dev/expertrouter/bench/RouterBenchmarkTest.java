package dev.expertrouter.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs {@link RouterBenchmark} from Maven; excluded from the default test run by its tag. */
@Tag("bench")
class RouterBenchmarkTest {

    @Test
    void routingLatency() {
        RouterBenchmark.main(new String[] {"router-models"});
    }
}
