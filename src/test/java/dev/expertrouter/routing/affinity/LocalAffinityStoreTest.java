package dev.expertrouter.routing.affinity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalAffinityStoreTest {

    final AtomicLong now = new AtomicLong(1_000);
    static final RememberedChoice A = new RememberedChoice("a", "medical", "v4", 1);
    static final RememberedChoice B = new RememberedChoice("b", "code", "v4", 1);

    @Test
    void aChoiceIsForgottenWhenItsTtlRunsOut() {
        LocalAffinityStore store = new LocalAffinityStore(10, now::get);
        store.remember("k", A, Duration.ofSeconds(30));

        now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertThat(store.get("k")).hasValue(A);
        now.addAndGet(1);
        assertThat(store.get("k")).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedConversationGoesFirstBeyondTheCapacity() {
        LocalAffinityStore store = new LocalAffinityStore(2, now::get);
        store.remember("one", A, Duration.ofMinutes(1));
        store.remember("two", B, Duration.ofMinutes(1));
        assertThat(store.get("one")).hasValue(A); // "one" is now the most recently used

        store.remember("three", B, Duration.ofMinutes(1));

        assertThat(store.get("two")).isEmpty();
        assertThat(store.get("one")).hasValue(A);
        assertThat(store.get("three")).hasValue(B);
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void aZeroCapacityIsRefused() {
        assertThatThrownBy(() -> new LocalAffinityStore(0, now::get)).hasMessageContaining("capacity must be >= 1");
    }

    @Test
    void storedChoicesRoundTripAndForeignValuesAreIgnored() {
        assertThat(RememberedChoice.decode(A.encode())).hasValue(A);
        assertThat(RememberedChoice.decode("not json")).isEmpty();
        assertThat(RememberedChoice.decode("{\"expert\":\"a\"}")).isEmpty();
        assertThat(RememberedChoice.decode(null)).isEmpty();
    }
}
