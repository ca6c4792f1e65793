package dev.expertrouter.resilience;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.experts.Deadline;
import dev.expertrouter.experts.ExpertCallException;
import dev.expertrouter.experts.ExpertInvoker;
import dev.expertrouter.experts.ExpertReply;
import dev.expertrouter.experts.ExpertStream;
import dev.expertrouter.experts.Usage;
import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** An expert that answers each attempt from a script; counts attempts and cancellations. */
final class ScriptedInvoker implements ExpertInvoker {

    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger cancellations = new AtomicInteger();
    private final Deque<Supplier<Uni<ExpertReply>>> script = new ArrayDeque<>();
    private Supplier<Uni<ExpertReply>> otherwise = ScriptedInvoker::ok;

    synchronized ScriptedInvoker then(Supplier<Uni<ExpertReply>> step) {
        script.add(step);
        return this;
    }

    synchronized ScriptedInvoker thenFail(int status, Optional<Integer> retryAfter) {
        return then(() -> Uni.createFrom().failure(failure(status, retryAfter)));
    }

    synchronized ScriptedInvoker otherwise(Supplier<Uni<ExpertReply>> step) {
        otherwise = step;
        return this;
    }

    static ExpertCallException failure(int status, Optional<Integer> retryAfter) {
        return new ExpertCallException("x", status, status == 0 ? ExpertCallException.CONNECT : ExpertCallException.ERROR_STATUS,
                "scripted " + status, retryAfter);
    }

    static Uni<ExpertReply> ok() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("choices");
        return Uni.createFrom().item(new ExpertReply("x", body, Usage.NONE));
    }

    /** An attempt that never answers until cancelled. */
    Uni<ExpertReply> hang() {
        return Uni.createFrom().<ExpertReply>nothing().onCancellation().invoke(cancellations::incrementAndGet);
    }

    @Override
    public Uni<ExpertReply> complete(ExpertConfig expert, ObjectNode body, String requestId, Deadline deadline) {
        return Uni.createFrom().deferred(() -> {
            attempts.incrementAndGet();
            Supplier<Uni<ExpertReply>> step;
            synchronized (this) {
                step = script.isEmpty() ? otherwise : script.poll();
            }
            return step.get();
        });
    }

    @Override
    public Uni<ExpertStream> openStream(ExpertConfig expert, ObjectNode body, String requestId, Deadline deadline) {
        return complete(expert, body, requestId, deadline).onItem().transformToUni(r -> Uni.createFrom().<ExpertStream>failure(new IllegalStateException("no streams here")));
    }
}
