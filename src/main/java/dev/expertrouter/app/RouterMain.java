package dev.expertrouter.app;

import dev.expertrouter.config.ConfigException;
import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.Environment;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.training.TrainCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Entry point. With no arguments it serves; {@code validate-config [dir]} checks the YAML config
 * with the same loader the gateway uses and exits non-zero naming the file, key and problem;
 * {@code train ...} builds a router model version (see {@link TrainCommand}); {@code retrain},
 * {@code promote}, {@code rollback} and {@code versions} are the admin endpoints' twins on disk
 * (see {@link ReleaseCommands}).
 */
@QuarkusMain
public class RouterMain {

    public static void main(String... args) {
        OptionalInt exit = command(args);
        if (exit.isPresent()) {
            System.exit(exit.getAsInt());
        }
        // A bad config file should read as one line naming file, key and problem, not a stack trace.
        try {
            new ConfigLoader().load(Environment.configDir());
        } catch (ConfigException e) {
            System.err.println("config invalid, not starting: " + e.getMessage());
            System.exit(1);
        }
        Quarkus.run(args);
    }

    /** Runs the command {@code args} name and returns its exit code; empty when they name none (serve). */
    static OptionalInt command(String... args) {
        if (args.length == 0) {
            return OptionalInt.empty();
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "validate-config" -> OptionalInt.of(validateConfig(rest));
            case "train" -> OptionalInt.of(TrainCommand.run(rest));
            case "retrain", "promote", "rollback", "versions" -> OptionalInt.of(ReleaseCommands.run(args[0], rest));
            case "train-cascade" -> OptionalInt.of(dev.expertrouter.training.CascadeTrainer.run(rest));
            default -> OptionalInt.empty();
        };
    }

    static int validateConfig(String[] args) {
        Path dir = args.length > 0 ? Path.of(args[0]) : Environment.configDir();
        try {
            RouterConfig config = new ConfigLoader().load(dir);
            System.out.printf("config OK: %s (%d experts, %d policies, %d tenants)%n", dir.toAbsolutePath(),
                    config.experts().size(), config.policies().size(), config.tenants().size());
            return 0;
        } catch (ConfigException e) {
            System.err.println("config invalid: " + e.getMessage());
            return 1;
        }
    }
}
