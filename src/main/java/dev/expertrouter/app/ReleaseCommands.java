package dev.expertrouter.app;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.GatewayClock;
import dev.expertrouter.Json;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.classifier.RouterModelException;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import dev.expertrouter.training.PromotionGates;
import dev.expertrouter.training.ReleaseHistory;
import dev.expertrouter.training.Retrainer;
import dev.expertrouter.training.TrainOptions;
import dev.expertrouter.training.VersionCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command twins of {@code /admin/router/*}, working on a models directory on disk (default
 * {@code router-models}): {@code versions}, {@code promote VERSION}, {@code rollback} and
 * {@code retrain}. They change {@code current} and {@code history}; a running gateway serves the
 * change from its next start (the admin endpoints swap it live). The offline {@code retrain} reads
 * no outcome log (that lives behind the gateway): it trains on the base data and judges the
 * candidate with the same gates against the version {@code current} names.
 */
final class ReleaseCommands {

    static final String USAGE = """
            usage: versions [--models DIR]
                   promote VERSION [--models DIR]
                   rollback [--models DIR]
                   retrain [--models DIR] [--data DIR] [--examples DIR] [--members N] [--refit-folds K]
                           [--epochs N] [--no-promote] [--recall-epsilon E] [--max-negative-flip-rate R] [--max-ece E]
            """;

    private ReleaseCommands() {
    }

    static int run(String command, String[] args) {
        try {
            Options o = Options.parse(args);
            switch (command) {
                case "versions" -> {
                    ReleaseHistory history = new ReleaseHistory(o.models);
                    List<String> served = history.versions();
                    ObjectNode root = Json.MAPPER.createObjectNode();
                    root.put("serving", served.isEmpty() ? "none" : served.get(served.size() - 1));
                    root.putPOJO("history", served);
                    root.set("versions", VersionCatalog.list(o.models, served.isEmpty() ? null : served.get(served.size() - 1)));
                    System.out.println(Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
                }
                case "promote" -> {
                    if (o.positional.size() != 1) {
                        throw new IllegalArgumentException("promote needs exactly one VERSION");
                    }
                    String version = o.positional.get(0);
                    RouterModelLoader.load(o.models.resolve(version), MiniLmEmbedder.ID); // refuse a broken one first
                    new ReleaseHistory(o.models).promoted(version);
                    System.out.printf("%s is now current in %s (a running gateway: POST /admin/router/promote)%n", version, o.models);
                }
                case "rollback" -> {
                    String now = new ReleaseHistory(o.models).rolledBack();
                    System.out.printf("rolled back: %s is now current in %s%n", now, o.models);
                }
                case "retrain" -> {
                    return retrain(o);
                }
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | RouterModelException e) {
            System.err.println(command + ": " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        } catch (Exception e) {
            System.err.println(command + " failed: " + e);
            return 1;
        }
    }

    private static int retrain(Options o) {
        MiniLmEmbedder embedder = new MiniLmEmbedder();
        List<String> served = new ReleaseHistory(o.models).versions();
        RouterModel serving = served.isEmpty() ? null
                : RouterModelLoader.load(o.models.resolve(served.get(served.size() - 1)), embedder.id());
        Retrainer.Settings settings = new Retrainer.Settings(Optional.of(o.data), o.examples, o.models,
                Optional.of(o.models.resolve(TrainOptions.DEFAULT_CACHE_DIR)), 3, Duration.ofDays(30), 0, o.members,
                o.refitFolds, o.epochs, new PromotionGates.Settings(o.recallEpsilon, o.maxFlips, o.maxEce));
        Retrainer.Result result = new Retrainer(settings, embedder, new PromptTextSelector(), Optional.empty(),
                GatewayClock.SYSTEM, System.out).retrain(serving);
        result.verdict().gates().forEach((name, g) -> System.out.printf("gate %-20s value %.4f threshold %.4f %s%n", name,
                g.value(), g.threshold(), g.passed() ? "passed" : "FAILED"));
        if (result.verdict().passed() && o.promote) {
            new ReleaseHistory(o.models).promoted(result.version());
            System.out.printf("%s promoted: every gate passed%n", result.version());
        } else {
            System.out.printf("%s written, not promoted%s%n", result.version(),
                    result.verdict().passed() ? " (--no-promote)" : ": refused by " + result.verdict().failed());
        }
        return 0;
    }

    /** The commands' options; defaults match the gateway's. */
    private static final class Options {
        Path models = Path.of("router-models");
        Path data = Path.of("../shared/data/mmlu");
        Path examples = Path.of("config/domains");
        int members = 3;
        int refitFolds = 0;
        int epochs = 60;
        boolean promote = true;
        double recallEpsilon = 0.01;
        double maxFlips = 0.03;
        double maxEce = 0.08;
        final List<String> positional = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--models" -> o.models = Path.of(value(args, ++i));
                    case "--data" -> o.data = Path.of(value(args, ++i));
                    case "--examples" -> o.examples = Path.of(value(args, ++i));
                    case "--members" -> o.members = Integer.parseInt(value(args, ++i));
                    case "--refit-folds" -> o.refitFolds = Integer.parseInt(value(args, ++i));
                    case "--epochs" -> o.epochs = Integer.parseInt(value(args, ++i));
                    case "--no-promote" -> o.promote = false;
                    case "--recall-epsilon" -> o.recallEpsilon = Double.parseDouble(value(args, ++i));
                    case "--max-negative-flip-rate" -> o.maxFlips = Double.parseDouble(value(args, ++i));
                    case "--max-ece" -> o.maxEce = Double.parseDouble(value(args, ++i));
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        o.positional.add(args[i]);
                    }
                }
            }
            return o;
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }
}
