package dev.expertrouter;

import dev.expertrouter.config.ConfigException;
import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.RouterConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Entry point. With no arguments it serves; {@code validate-config [dir]} checks the YAML config
 * with the same loader the gateway uses and exits non-zero naming the file, key and problem.
 */
@QuarkusMain
public class RouterMain {

    public static void main(String... args) {
        if (args.length > 0 && "validate-config".equals(args[0])) {
            System.exit(validateConfig(Arrays.copyOfRange(args, 1, args.length)));
        }
        Quarkus.run(args);
    }

    static int validateConfig(String[] args) {
        String dir = args.length > 0 ? args[0] : System.getenv().getOrDefault("ROUTER_CONFIG_DIR", "config");
        try {
            RouterConfig config = new ConfigLoader().load(Path.of(dir));
            System.out.printf("config OK: %s (%d experts, %d policies, %d tenants)%n", Path.of(dir).toAbsolutePath(),
                    config.experts().size(), config.policies().size(), config.tenants().size());
            return 0;
        } catch (ConfigException e) {
            System.err.println("config invalid: " + e.getMessage());
            return 1;
        }
    }
}
