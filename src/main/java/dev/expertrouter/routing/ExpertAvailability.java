package dev.expertrouter.routing;

import java.util.Optional;

/**
 * Live health of experts as routing sees it: an open circuit or a full bulkhead makes an expert
 * ineligible for a request. Supplied by the fault-tolerance layer.
 */
public interface ExpertAvailability {

    /** Why the expert cannot take a request now, or empty when it can. */
    Optional<String> unavailableReason(String expertId);

    ExpertAvailability ALWAYS = id -> Optional.empty();
}
