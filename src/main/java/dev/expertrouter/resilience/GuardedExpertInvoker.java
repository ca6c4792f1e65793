package dev.expertrouter.resilience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.experts.Deadline;
import dev.expertrouter.experts.ExpertInvoker;
import dev.expertrouter.experts.ExpertReply;
import dev.expertrouter.experts.ExpertStream;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.util.TypeLiteral;
import java.util.function.LongSupplier;

/**
 * Wraps each expert call in that expert's guard: retries of retryable failures within the request's
 * deadline, its circuit breaker and its bulkhead. A stream is guarded up to its first chunk, which is
 * as far as a failure can still be retried or fall back.
 */
public final class GuardedExpertInvoker implements ExpertInvoker {

    private static final TypeLiteral<Uni<ExpertReply>> REPLY = new TypeLiteral<>() { };
    private static final TypeLiteral<Uni<ExpertStream>> STREAM = new TypeLiteral<>() { };

    private final ExpertInvoker delegate;
    private final ExpertGuards guards;
    private final LongSupplier nanoClock;

    public GuardedExpertInvoker(ExpertInvoker delegate, ExpertGuards guards, LongSupplier nanoClock) {
        this.delegate = delegate;
        this.guards = guards;
        this.nanoClock = nanoClock;
    }

    @Override
    public Uni<ExpertReply> complete(ExpertConfig expert, ObjectNode body, String requestId, Deadline deadline) {
        return this.<ExpertReply>call(expert, deadline).run(() -> delegate.complete(expert, body, requestId, deadline), REPLY);
    }

    @Override
    public Uni<ExpertStream> openStream(ExpertConfig expert, ObjectNode body, String requestId, Deadline deadline) {
        ExpertGuard guard = guards.guardFor(expert);
        // the guard's bulkhead is released at the first chunk; the stream still occupies the expert
        // until it ends, so it counts against the expert's concurrency for routing until then
        return new GuardedCall<ExpertStream>(guard, deadline, nanoClock, guards.metrics())
                .run(() -> delegate.openStream(expert, body, requestId, deadline), STREAM)
                .invoke(stream -> {
                    guard.streamOpened();
                    stream.whenEnded(guard::streamEnded);
                });
    }

    private <T> GuardedCall<T> call(ExpertConfig expert, Deadline deadline) {
        return new GuardedCall<>(guards.guardFor(expert), deadline, nanoClock, guards.metrics());
    }
}
