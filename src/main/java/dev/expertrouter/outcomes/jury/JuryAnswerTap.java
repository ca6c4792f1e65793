package dev.expertrouter.outcomes.jury;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.experts.Deadline;
import dev.expertrouter.experts.ExpertInvoker;
import dev.expertrouter.experts.ExpertReply;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import io.smallrye.mutiny.Uni;

/**
 * Hands each non-streamed expert answer to the {@link JuryService} (which keeps it only while the
 * jury is on), so the request path itself needs no change: a decorator of the expert invoker.
 * Streams are not tapped (the jury rates complete answers only).
 */
@Decorator
@Priority(10)
public abstract class JuryAnswerTap implements ExpertInvoker {

    @Inject
    @Delegate
    @Any
    ExpertInvoker delegate;

    @Inject
    JuryService jury;

    @Override
    public Uni<ExpertReply> complete(ExpertConfig expert, ObjectNode body, String requestId, Deadline deadline) {
        Uni<ExpertReply> reply = delegate.complete(expert, body, requestId, deadline);
        return jury.enabled() ? reply.invoke(r -> jury.answered(requestId, body, r)) : reply;
    }
}
