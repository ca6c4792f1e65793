package dev.expertrouter.experts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ExpertConfig;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/** One attempt per call, bounded by the expert's timeout and the request's deadline. */
@DefaultBean
@ApplicationScoped
public class DirectExpertInvoker implements ExpertInvoker {

    private final ExpertClient client;

    public DirectExpertInvoker(ExpertClient client) {
        this.client = client;
    }

    @Override
    public Uni<ExpertReply> complete(ExpertConfig expert, ObjectNode body, String requestId, Deadline deadline) {
        return timeout(expert, deadline).onItem().transformToUni(t -> client.complete(expert, body, requestId, t));
    }

    @Override
    public Uni<ExpertStream> openStream(ExpertConfig expert, ObjectNode body, String requestId, Deadline deadline) {
        return timeout(expert, deadline).onItem().transformToUni(t -> client.openStream(expert, body, requestId, t));
    }

    private static Uni<Duration> timeout(ExpertConfig expert, Deadline deadline) {
        Duration t = deadline.attemptTimeout(Duration.ofMillis(expert.timeoutMs()));
        if (t.isZero()) {
            return Uni.createFrom().failure(new ExpertCallException(expert.id(), 0, ExpertCallException.TIMEOUT,
                    "request deadline passed before " + expert.id() + " could be tried", Optional.empty()));
        }
        return Uni.createFrom().item(t);
    }
}
