package dev.expertrouter.routing.serving;

import dev.expertrouter.routing.policy.PolicyEngine;
import java.util.random.RandomGenerator;

/**
 * Where the policy engine's exploration draws come from: a thread-local random in service; a test
 * may enable an alternative bean giving a seeded or forced source, so an explored request is
 * deterministic end to end.
 */
public interface ExplorationRandom {

    ExplorationRandom THREAD_LOCAL = () -> PolicyEngine.THREAD_LOCAL_RANDOM;

    RandomGenerator generator();
}
