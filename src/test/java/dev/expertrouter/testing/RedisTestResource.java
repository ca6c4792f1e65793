package dev.expertrouter.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} class a private Redis: {@code @QuarkusTestResource(RedisTestResource.class)}
 * (or a profile's {@code testResources()}). The server lives as long as the Quarkus application
 * of that test; {@link #server()} lets the test stop and restart it.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisServer server;

    @Override
    public Map<String, String> start() {
        server = new RedisServer().start();
        return Map.of("quarkus.redis.hosts", server.url());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** The server started for the running Quarkus application. */
    public static RedisServer server() {
        return server;
    }
}
