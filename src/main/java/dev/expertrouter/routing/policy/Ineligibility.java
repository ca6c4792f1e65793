package dev.expertrouter.routing.policy;

import dev.expertrouter.routing.IneligibleReason;

/** A failed check: the code for the HTTP layer and a sentence for people. */
record Ineligibility(IneligibleReason code, String message) {
}
