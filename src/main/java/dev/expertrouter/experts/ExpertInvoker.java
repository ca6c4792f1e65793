package dev.expertrouter.experts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.config.ExpertConfig;
import io.smallrye.mutiny.Uni;

/**
 * One expert call with whatever protection the expert's policy gives it (timeouts, retries,
 * circuit breaker, bulkhead). Cross-expert fallback is routing's business and sits above this.
 */
public interface ExpertInvoker {

    Uni<ExpertReply> complete(ExpertConfig expert, ObjectNode body, String requestId, Deadline deadline);

    Uni<ExpertStream> openStream(ExpertConfig expert, ObjectNode body, String requestId, Deadline deadline);
}
