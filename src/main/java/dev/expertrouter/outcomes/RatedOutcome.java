package dev.expertrouter.outcomes;

import java.util.Optional;

/** An outcome with its feedback joined, when it got any: the unit retraining learns from. */
public record RatedOutcome(OutcomeRecord outcome, Optional<Feedback> feedback) {
}
