package dev.expertrouter.training;

import java.nio.file.Path;
import java.util.Optional;

/** Command-line options of {@link TrainCommand}; see {@link #USAGE}. */
public record TrainOptions(Optional<Path> mmluDir, Path examplesDir, Path outDir, String version, long seed,
        double validationFraction, double testFraction, boolean forcePromote, HeadTrainer.Settings head, int refitFolds,
        Neighbours neighbours, Optional<Path> embeddingCache, Optional<Path> chatExamplesDir,
        Optional<Path> chatEvalDir, Optional<String> judgeAgainst) {

    /**
     * Without the chat-style directories named: those beside the examples directory when they
     * exist ({@code <examples>-chat} trains, {@code <examples>-chat-eval} is the held-out set), as
     * {@code train} defaults to; the retrain builds its options this way.
     */
    public TrainOptions(Optional<Path> mmluDir, Path examplesDir, Path outDir, String version, long seed,
            double validationFraction, double testFraction, boolean forcePromote, HeadTrainer.Settings head,
            int refitFolds, Neighbours neighbours, Optional<Path> embeddingCache) {
        this(mmluDir, examplesDir, outDir, version, seed, validationFraction, testFraction, forcePromote, head,
                refitFolds, neighbours, embeddingCache,
                ChatEvalSet.beside(examplesDir, ChatEvalSet.CHAT_EXAMPLES_SUFFIX),
                ChatEvalSet.beside(examplesDir, ChatEvalSet.CHAT_EVAL_SUFFIX), Optional.empty());
    }

    /**
     * The nearest-neighbour vote blended with the heads; {@code k} 0 ships heads alone. The
     * defaults were chosen on out-of-fold scores (router-models/README.md).
     */
    public record Neighbours(int k, double tau, double balance, double headWeight, boolean whitened) {

        public static final Neighbours DEFAULTS = new Neighbours(10, 0.1, 1.0, 0.5, true);

        public boolean enabled() {
            return k > 0;
        }
    }

    /** The embedding cache's directory under the models root, unless told otherwise (gitignored). */
    public static final String DEFAULT_CACHE_DIR = ".embedding-cache";

    public static final String USAGE = """
            usage: train --examples DIR --out DIR --version NAME [options]
              --data DIR              MMLU directory (mmlu_val.jsonl, mmlu_dev.jsonl); omit to train on own examples only
              --examples DIR          per-domain YAML examples (config/domains)
              --chat-examples DIR     chat-style training examples, split apart from --examples (default: the
                                      directory DIR-chat beside --examples when it exists, e.g. config/domains-chat;
                                      'none': without)
              --chat-eval DIR         chat-style held-out set, scored beside the MMLU test split and never trained
                                      on; a prompt shared with the training data stops the run (default: DIR-chat-eval
                                      beside --examples when it exists, e.g. config/domains-chat-eval; 'none': without)
              --out DIR               router-models root; the version is written to DIR/NAME
              --version NAME          new version name (must not exist)
              --seed N                seed of split, initialisation and shuffling (default 42)
              --val-fraction F        validation share per domain (default 0.2)
              --test-fraction F       test share per domain (default 0.2)
              --members N             ensemble size (default 5)
              --hidden N              hidden units (default 256)
              --epochs N              max epochs per member (default 60)
              --patience N            early-stopping patience in epochs (default 8)
              --class-weight-power P  0 = unweighted, 1 = domains balanced (default 1)
              --label-smoothing E     label smoothing of the fine-class targets (default 0)
              --refit-folds K         0 (default): ship the members trained on train, early-stopped on validation;
                                      K >= 2: then refit K members on train+validation (each on K-1 folds)
                                      for the median epoch count early stopping chose, and fit the
                                      temperature on their pooled out-of-fold predictions
              --neighbours K          blend the heads with a K-nearest-neighbour vote over the training
                                      embeddings (default 10; 0 ships the heads alone)
              --neighbour-weight W    the heads' share of the blend's log-scores (default 0.5)
              --neighbour-tau T       softness of the vote's similarity weights (default 0.1)
              --neighbour-balance B   votes weigh prior(domain)^-B: 1 balances domains, 0 not (default 1)
              --neighbour-space S     'whitened' (default): cosine after PCA whitening fitted on the indexed
                                      rows; 'cosine': cosine of the raw embeddings (router v3's vote)
              --embedding-cache DIR   where base-data embeddings are kept between runs, keyed by the sha256 of
                                      embedder and text (default DIR/.embedding-cache of --out)
              --no-embedding-cache    embed every prompt, keep nothing
              --judge-against VERSION run the promotion gates (gateway defaults: recall epsilon 0.01, negative
                                      flips 0.03, ECE 0.08) against VERSION under --out, print them and record
                                      them in the metadata; promotes nothing
              --force-promote         point DIR/current at the new version WITHOUT the promotion gates (the
                                      gated way: 'retrain', or 'promote' after comparing 'versions')
            """;

    public static TrainOptions parse(String[] args) {
        Optional<Path> data = Optional.empty();
        Path examples = null;
        Path out = null;
        String version = null;
        long seed = 42;
        double valFraction = 0.2;
        double testFraction = 0.2;
        boolean forcePromote = false;
        Path cacheDir = null;
        boolean noCache = false;
        String chatExamples = null;
        String chatEval = null;
        Optional<String> judgeAgainst = Optional.empty();
        HeadTrainer.Settings d = HeadTrainer.Settings.defaults(seed);
        int members = d.members();
        int hidden = d.hidden();
        int epochs = d.maxEpochs();
        int patience = d.patience();
        double classWeightPower = d.classWeightPower();
        int refitFolds = 0;
        double labelSmoothing = d.labelSmoothing();
        Neighbours nd = Neighbours.DEFAULTS;
        int neighbourK = nd.k();
        double neighbourTau = nd.tau();
        double neighbourBalance = nd.balance();
        double neighbourWeight = nd.headWeight();
        boolean whitened = nd.whitened();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--data" -> data = Optional.of(Path.of(value(args, ++i, arg)));
                case "--examples" -> examples = Path.of(value(args, ++i, arg));
                case "--chat-examples" -> chatExamples = value(args, ++i, arg);
                case "--chat-eval" -> chatEval = value(args, ++i, arg);
                case "--judge-against" -> judgeAgainst = Optional.of(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--version" -> version = value(args, ++i, arg);
                case "--seed" -> seed = Long.parseLong(value(args, ++i, arg));
                case "--val-fraction" -> valFraction = Double.parseDouble(value(args, ++i, arg));
                case "--test-fraction" -> testFraction = Double.parseDouble(value(args, ++i, arg));
                case "--members" -> members = Integer.parseInt(value(args, ++i, arg));
                case "--hidden" -> hidden = Integer.parseInt(value(args, ++i, arg));
                case "--epochs" -> epochs = Integer.parseInt(value(args, ++i, arg));
                case "--patience" -> patience = Integer.parseInt(value(args, ++i, arg));
                case "--class-weight-power" -> classWeightPower = Double.parseDouble(value(args, ++i, arg));
                case "--label-smoothing" -> labelSmoothing = Double.parseDouble(value(args, ++i, arg));
                case "--refit-folds" -> refitFolds = Integer.parseInt(value(args, ++i, arg));
                case "--neighbours" -> neighbourK = Integer.parseInt(value(args, ++i, arg));
                case "--neighbour-weight" -> neighbourWeight = Double.parseDouble(value(args, ++i, arg));
                case "--neighbour-tau" -> neighbourTau = Double.parseDouble(value(args, ++i, arg));
                case "--neighbour-balance" -> neighbourBalance = Double.parseDouble(value(args, ++i, arg));
                case "--neighbour-space" -> whitened = switch (value(args, ++i, arg)) {
                    case "whitened" -> true;
                    case "cosine" -> false;
                    default -> throw new IllegalArgumentException("--neighbour-space must be 'whitened' or 'cosine'");
                };
                case "--force-promote" -> forcePromote = true;
                case "--embedding-cache" -> cacheDir = Path.of(value(args, ++i, arg));
                case "--no-embedding-cache" -> noCache = true;
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (examples == null || out == null || version == null) {
            throw new IllegalArgumentException("--examples, --out and --version are required");
        }
        if (members < 1 || hidden < 1 || epochs < 1) {
            throw new IllegalArgumentException("--members, --hidden and --epochs must be >= 1");
        }
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new IllegalArgumentException("--label-smoothing must be within [0, 1)");
        }
        if (refitFolds < 0 || refitFolds == 1) {
            throw new IllegalArgumentException("--refit-folds must be 0 or >= 2");
        }
        if (neighbourK < 0 || !(neighbourTau > 0) || !(neighbourBalance >= 0)
                || !(neighbourWeight >= 0 && neighbourWeight <= 1)) {
            throw new IllegalArgumentException(
                    "--neighbours must be >= 0, --neighbour-tau > 0, --neighbour-balance >= 0, --neighbour-weight in [0, 1]");
        }
        HeadTrainer.Settings head = new HeadTrainer.Settings(members, hidden, d.dropoutRetain(), d.learningRate(),
                d.l2(), epochs, patience, d.batchSize(), classWeightPower, seed, labelSmoothing);
        if (noCache && cacheDir != null) {
            throw new IllegalArgumentException("--embedding-cache and --no-embedding-cache contradict each other");
        }
        Optional<Path> embeddingCache = noCache ? Optional.empty()
                : Optional.of(cacheDir != null ? cacheDir : out.resolve(DEFAULT_CACHE_DIR));
        return new TrainOptions(data, examples, out, version, seed, valFraction, testFraction, forcePromote, head,
                refitFolds, new Neighbours(neighbourK, neighbourTau, neighbourBalance, neighbourWeight, whitened),
                embeddingCache, chatDir(chatExamples, examples, ChatEvalSet.CHAT_EXAMPLES_SUFFIX),
                chatDir(chatEval, examples, ChatEvalSet.CHAT_EVAL_SUFFIX), judgeAgainst);
    }

    /** A named directory, 'none', or unnamed: the one beside the examples when it exists. */
    private static Optional<Path> chatDir(String named, Path examples, String suffix) {
        if (named == null) {
            return ChatEvalSet.beside(examples, suffix);
        }
        return named.equals("none") ? Optional.empty() : Optional.of(Path.of(named));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
