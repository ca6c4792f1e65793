package dev.expertrouter.perceptive;

import dev.expertrouter.routing.serving.ExplorationRandom;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Exploration draws for {@link PerceptiveTestProfile}: every share test passes ({@code nextDouble}
 * is 0), and which non-top expert is explored comes from a seeded random, so an exploring
 * policy's request is explored, deterministically. Enabled only by that profile.
 */
@Alternative
@Singleton
public class ForcedExploration implements ExplorationRandom {

    private final RandomGenerator forced = new RandomGenerator() {
        private final Random seeded = new Random(42);

        @Override
        public synchronized long nextLong() {
            return seeded.nextLong();
        }

        @Override
        public double nextDouble() {
            return 0.0;
        }
    };

    @Override
    public RandomGenerator generator() {
        return forced;
    }
}
