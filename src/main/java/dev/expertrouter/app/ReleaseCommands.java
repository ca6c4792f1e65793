package dev.expertrouter.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.expertrouter.GatewayClock;
import dev.expertrouter.Json;
import dev.expertrouter.config.ConfigException;
import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.Environment;
import dev.expertrouter.outcomes.RedisOutcomeHistory;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.classifier.RouterModelException;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import dev.expertrouter.routing.quality.QualityModelLoader;
import dev.expertrouter.routing.quality.QualityPredictor;
import dev.expertrouter.training.PromotionGates;
import dev.expertrouter.training.ReleaseHistory;
import dev.expertrouter.training.Retrainer;
import dev.expertrouter.training.TrainOptions;
import dev.expertrouter.training.VersionCatalog;
import dev.expertrouter.training.quality.QualityDataset;
import dev.expertrouter.training.quality.QualityRelease;
import dev.expertrouter.training.quality.VerifierRelease;
import dev.expertrouter.routing.quality.AnswerVerifierFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The command twins of {@code /admin/router/*}, working on a models directory on disk (default
 * {@code router-models}): {@code versions}, {@code promote VERSION}, {@code rollback} and
 * {@code retrain}. They change {@code current} and {@code history}; a running gateway serves the
 * change from its next start (the admin endpoints swap it live). The offline {@code retrain} runs
 * the gateway's retrain: given {@code --redis URL} it reads the outcome log and its feedback
 * corrections through the same {@link RedisOutcomeHistory}, trains the base data plus those
 * corrections with the same {@link Retrainer}, and judges the candidate with the same gates against
 * the version {@code current} names, bounding each tenant's corrections as the gateway does by the
 * {@code trust} in {@code tenants.yaml} of the config directory and the per-tenant cap. Then, as the
 * gateway's retrain does, the same {@link QualityRelease} step trains the quality predictor from the
 * window's rated outcomes, or carries the serving version's predictor into the new version when it
 * is skipped or refused. Without {@code --redis} it trains the router on the base data alone and
 * carries the predictor, so promoting the new version keeps predicting as before.
 */
final class ReleaseCommands {

    static final String USAGE = """
            usage: versions [--models DIR]
                   promote VERSION [--models DIR]
                   rollback [--models DIR]
                   retrain [--models DIR] [--data DIR | --no-data] [--examples DIR] [--members N] [--refit-folds K]
                           [--epochs N] [--no-promote] [--recall-epsilon E] [--max-negative-flip-rate R] [--max-ece E]
                           [--redis URL] [--window D] [--max-outcomes N] [--correction-weight N] [--embedding-cache DIR]
                           [--config DIR] [--max-corrections-per-tenant N]
                           [--quality-min-rated N] [--quality-epochs N] [--max-rated-per-tenant N]
              --redis URL   read the outcome log (router:outcomes) and feedback corrections from this Redis,
                            e.g. redis://127.0.0.1:6379 (the gateway's quarkus.redis.hosts); without it the
                            retrain uses the base data only
              --window D    outcomes of the last D (30d; also 12h, or ISO-8601 such as PT90M)
              --config DIR  the tenants' trust from DIR/tenants.yaml (default: router.config-dir, else config):
                            a tenant with trust 0 or not listed teaches nothing, the others at most
                            --max-corrections-per-tenant (200) corrections each, the newest
              quality       with --redis the quality predictor is trained too, from the same window's rated
                            outcomes, and gated (--quality-min-rated 300, --quality-epochs 80, at most
                            --max-rated-per-tenant 2000 rated outcomes of one tenant); when it is skipped
                            or refused, and without --redis, the serving version's predictor is carried
            """;

    /** Per Redis call; longer than the gateway's 2 s: an offline reader on a busy host should wait, not fail. */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);

    private ReleaseCommands() {
    }

    static int run(String command, String[] args) {
        return run(command, args, MiniLmEmbedder::new, System.out, System.err);
    }

    /** @param embedder the serving embedder, made only by the commands that need it */
    static int run(String command, String[] args, Supplier<PromptEmbedder> embedder, PrintStream out, PrintStream err) {
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
                    out.println(Json.PRETTY.writeValueAsString(root));
                }
                case "promote" -> {
                    if (o.positional.size() != 1) {
                        throw new IllegalArgumentException("promote needs exactly one VERSION");
                    }
                    String version = o.positional.get(0);
                    if (!java.nio.file.Files.isDirectory(o.models.resolve(version))) {
                        List<String> known = new ArrayList<>();
                        VersionCatalog.list(o.models, null).forEach(v -> known.add(v.path("version").asText()));
                        throw new IllegalArgumentException("no version '" + version + "' in " + o.models + " (versions there: "
                                + (known.isEmpty() ? "none" : String.join(", ", known)) + "); nothing changed");
                    }
                    RouterModelLoader.load(o.models.resolve(version), MiniLmEmbedder.ID); // refuse a broken one first
                    QualityModelLoader.loadIfPresent(o.models.resolve(version)); // and a broken quality predictor
                    AnswerVerifierFiles.loadIfPresent(o.models.resolve(version)); // and broken answer verifiers
                    new ReleaseHistory(o.models).promoted(version);
                    out.printf("%s is now current in %s (a running gateway: POST /admin/router/promote)%n", version, o.models);
                }
                case "rollback" -> {
                    String now = new ReleaseHistory(o.models).rolledBack();
                    out.printf("rolled back: %s is now current in %s%n", now, o.models);
                }
                case "retrain" -> {
                    return retrain(o, embedder.get(), out);
                }
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | RouterModelException e) {
            err.println(command + ": " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (Exception e) {
            err.println(command + " failed: " + e);
            return 1;
        }
    }

    /** The retrain command's code path, with the embedder and output given (tests use a synthetic embedder). */
    static int retrain(Options o, PromptEmbedder embedder, PrintStream out) {
        List<String> served = new ReleaseHistory(o.models).versions();
        RouterModel serving = served.isEmpty() ? null
                : RouterModelLoader.load(o.models.resolve(served.get(served.size() - 1)), embedder.id());
        Retrainer.Settings settings = new Retrainer.Settings(o.data, o.examples, o.models,
                Optional.of(o.embeddingCache.orElse(o.models.resolve(TrainOptions.DEFAULT_CACHE_DIR))),
                o.correctionWeight, o.window, o.maxOutcomes, o.members, o.refitFolds, o.epochs,
                new PromotionGates.Settings(o.recallEpsilon, o.maxFlips, o.maxEce), o.maxCorrectionsPerTenant);
        Optional<Path> servingDir = served.isEmpty() ? Optional.empty()
                : Optional.of(o.models.resolve(served.get(served.size() - 1)));
        // read before training: a broken serving predictor refuses the retrain, as it would refuse a promotion
        Optional<QualityPredictor> servingPredictor = servingDir.flatMap(QualityModelLoader::loadIfPresent);
        Map<String, AnswerVerifierFiles.Entry> servingVerifiers = servingDir.map(AnswerVerifierFiles::loadIfPresent)
                .orElse(Map.of());
        QualityRelease.Settings qualitySettings = QualityRelease.settings(o.qualityMinRated,
                QualityRelease.Settings.DEFAULT_GOOD_THRESHOLD, QualityRelease.Settings.DEFAULT_JURY_WEIGHT,
                QualityRelease.Settings.DEFAULT_HELD_OUT_SHARE, o.qualityEpochs, o.maxRatedPerTenant);
        Retrainer.Result result;
        Function<String, OptionalDouble> trustOf = tenant -> OptionalDouble.empty();
        if (o.redis.isPresent()) {
            // read before Redis: a missing or broken tenants.yaml refuses the retrain rather than trusting everyone
            Path configDir = o.config.orElseGet(Environment::configDir);
            Map<String, Double> trust = tenantTrust(configDir);
            out.printf(Locale.ROOT, "tenants: trust of %d from %s%n", trust.size(),
                    configDir.resolve(ConfigLoader.TENANTS_FILE));
            try (RedisOutcomeHistory.Connected history = RedisOutcomeHistory.connect(o.redis.get(), REDIS_TIMEOUT)) {
                out.printf(Locale.ROOT, "outcome log: %s, %d entries in %s%n",
                        RedisOutcomeHistory.withoutCredentials(o.redis.get()), history.outcomesInStream(), "router:outcomes");
                trustOf = tenant -> trust.containsKey(tenant) ? OptionalDouble.of(trust.get(tenant)) : OptionalDouble.empty();
                result = new Retrainer(settings, embedder, new PromptTextSelector(), Optional.of(history), trustOf,
                        GatewayClock.SYSTEM, out).retrain(serving);
            }
        } else {
            out.println("outcome log: none (no --redis): base data only");
            result = new Retrainer(settings, embedder, new PromptTextSelector(), Optional.empty(), trustOf,
                    GatewayClock.SYSTEM, out).retrain(serving);
        }
        // the window the router's retrain read (none without --redis: the serving predictor is carried)
        QualityRelease.Report quality = new QualityRelease(qualitySettings, trustOf, out).run(result.outcomesRead(),
                result.candidate().model().labels(), embedder.id(), result.dir(), servingPredictor, servingDir);
        VerifierRelease.Settings verifierSettings = new VerifierRelease.Settings(
                VerifierRelease.Settings.DEFAULT_MIN_RATED_ANSWERS, VerifierRelease.Settings.DEFAULT_MIN_AUC,
                VerifierRelease.Settings.DEFAULT_MAX_AUC_DROP, new QualityDataset.Labelling(
                        QualityRelease.Settings.DEFAULT_GOOD_THRESHOLD, 1.0, QualityRelease.Settings.DEFAULT_JURY_WEIGHT),
                QualityRelease.Settings.DEFAULT_HELD_OUT_SHARE, o.maxRatedPerTenant);
        new VerifierRelease(verifierSettings, trustOf, out).run(result.outcomesRead(), result.dir(), servingVerifiers);
        out.printf(Locale.ROOT, "corrections %d, %.1f s (%.1f s of CPU)%n", result.corrections(), result.seconds(),
                result.cpuSeconds());
        if (result.bounds().leftAnythingOut()) {
            out.printf(Locale.ROOT, "corrections left out: %s%n", result.bounds().leftOut());
        }
        result.verdict().gates().forEach((name, g) -> out.printf(Locale.ROOT, "gate %-20s value %.4f threshold %.4f %s%n",
                name, g.value(), g.threshold(), g.passed() ? "passed" : "FAILED"));
        quality.gate().ifPresent(g -> out.printf(Locale.ROOT,
                "quality gate against the %s: log loss %.4f (%.4f), AUC %.4f (%.4f), ECE %.4f (%.4f), flips -%d +%d: %s%n",
                g.reference(), g.candidate().logLoss(), g.baseline().logLoss(), g.candidate().auc(), g.baseline().auc(),
                g.candidate().ece(), g.baseline().ece(), g.negativeFlips(), g.positiveFlips(),
                g.passed() ? "passed" : "FAILED " + g.failures()));
        if (result.verdict().passed() && o.promote) {
            new ReleaseHistory(o.models).promoted(result.version());
            out.printf("%s promoted: every gate passed%n", result.version());
        } else {
            out.printf("%s written, not promoted%s%n", result.version(),
                    result.verdict().passed() ? " (--no-promote)" : ": refused by " + result.verdict().failed());
        }
        return 0;
    }

    private static Map<String, Double> tenantTrust(Path configDir) {
        try {
            return ConfigLoader.tenantTrust(configDir);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("--config: " + e.getMessage()
                    + " (the tenants' trust bounds what their feedback teaches)", e);
        }
    }

    /** The commands' options; defaults match the gateway's. */
    static final class Options {
        Path models = Path.of("router-models");
        Optional<Path> data = Optional.of(Path.of("../shared/data/mmlu"));
        Path examples = Path.of("config/domains");
        Optional<Path> embeddingCache = Optional.empty();
        Optional<String> redis = Optional.empty();
        Optional<Path> config = Optional.empty();
        int maxCorrectionsPerTenant = Retrainer.Settings.DEFAULT_MAX_CORRECTIONS_PER_TENANT;
        int qualityMinRated = QualityRelease.Settings.DEFAULT_MIN_RATED_OUTCOMES;
        int qualityEpochs = QualityRelease.Settings.DEFAULT_EPOCHS;
        int maxRatedPerTenant = QualityRelease.Settings.DEFAULT_MAX_RATED_PER_TENANT;
        Duration window = Duration.ofDays(30);
        int maxOutcomes = 20_000;
        int correctionWeight = 3;
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
                    case "--data" -> o.data = Optional.of(Path.of(value(args, ++i)));
                    case "--no-data" -> o.data = Optional.empty();
                    case "--embedding-cache" -> o.embeddingCache = Optional.of(Path.of(value(args, ++i)));
                    case "--redis" -> o.redis = Optional.of(value(args, ++i));
                    case "--window" -> o.window = duration(value(args, ++i));
                    case "--max-outcomes" -> o.maxOutcomes = Integer.parseInt(value(args, ++i));
                    case "--correction-weight" -> o.correctionWeight = Integer.parseInt(value(args, ++i));
                    case "--config" -> o.config = Optional.of(Path.of(value(args, ++i)));
                    case "--max-corrections-per-tenant" -> o.maxCorrectionsPerTenant = Integer.parseInt(value(args, ++i));
                    case "--quality-min-rated" -> o.qualityMinRated = Integer.parseInt(value(args, ++i));
                    case "--quality-epochs" -> o.qualityEpochs = Integer.parseInt(value(args, ++i));
                    case "--max-rated-per-tenant" -> o.maxRatedPerTenant = Integer.parseInt(value(args, ++i));
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

        /** {@code 30d}, {@code 12h}, {@code 90m}, or ISO-8601 ({@code PT90M}). */
        static Duration duration(String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([dhm])").matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofMinutes(n);
                };
            }
            try {
                return Duration.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("--window: not a duration: " + text + " (e.g. 30d, 12h, PT90M)");
            }
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }
}
