package dev.expertrouter.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs {@link ConversationBench} from Maven; excluded from the default test run by its tag. */
@Tag("bench")
class ConversationBenchTest {

    @Test
    void conversations() throws Exception {
        ConversationBench.main(new String[] {"router-models", "bench/conversations", "config"});
    }
}
