package dev.expertrouter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Gateway settings (Quarkus config: application.properties, env vars, system properties). */
@ConfigMapping(prefix = "router")
public interface RouterSettings {

    /** Directory holding experts.yaml, policies.yaml and tenants.yaml ({@code ROUTER_CONFIG_DIR}). */
    @WithDefault(Environment.DEFAULT_CONFIG_DIR)
    String configDir();

    /** How often the config directory is checked for edits; 0 turns hot reload off. */
    @WithDefault("2s")
    Duration reloadInterval();

    /** Largest accepted request body; larger ones get 413 {@code body_too_large}. */
    @WithDefault("4194304")
    int maxBodyBytes();

    /**
     * Longest time a client may take to send a request body after its headers; past it the
     * request gets 408 and the connection is closed (slow senders cannot hold connections).
     */
    @WithDefault("10s")
    Duration bodyReadTimeout();

    /**
     * Longest time a client may take to send a request's line and headers: from the connection
     * opening for its first request, from a request's first byte for later ones on a kept-alive
     * connection. Past it the connection is closed (with a 408 when part of the head had arrived),
     * so a client dribbling its headers cannot hold a connection. Must be positive.
     */
    @WithDefault("5s")
    Duration headerReadTimeout();

    /** Upper bound on a whole request, across attempts and fallbacks. */
    @WithDefault("60s")
    Duration requestDeadline();

    /** Admin key ({@code ROUTER_ADMIN_KEY}); admin endpoints answer 403 while it is unset. */
    Optional<String> adminKey();

    /** Directory of versioned router models; {@code <dir>/current} names the serving version. */
    @WithDefault("router-models")
    String modelsDir();

    /** Serve this router model version instead of the one {@code current} names. */
    Optional<String> modelVersion();

    /**
     * Threads that embed prompts ({@code ROUTER_EMBEDDING_THREADS}); unset means one per core, and
     * a value below 1 stops start-up. The embedder is CPU-bound, so more threads than cores only
     * make each request slower; prompts beyond them wait their turn.
     */
    Optional<Integer> embeddingThreads();

    /**
     * Host the gateway's simulated experts are reached at; their port is the gateway's own HTTP
     * port, so they follow {@code QUARKUS_HTTP_PORT}.
     */
    @WithDefault("127.0.0.1")
    String simulatedHost();

    /** The outcome log: the Redis stream {@code router:outcomes} and its local spool. */
    Outcomes outcomes();

    /** Feedback ({@code POST /v1/feedback}) and what the shared estimates learn from it. */
    Feedback feedback();

    /** {@code router.outcomes.*} */
    interface Outcomes {

        /** Approximate cap on the stream's length (XADD MAXLEN ~); the oldest records are trimmed. */
        @WithDefault("1000000")
        long streamMaxLen();

        /**
         * How long a request's index hash ({@code router:outcome:<id>}) lives: feedback can be given
         * for that long, and a replayed record is recognised as already written within it.
         */
        @WithDefault("30d")
        Duration retention();

        /** Outcomes the in-memory queue holds before further ones go straight to the spool. */
        @WithDefault("10000")
        int queueCapacity();

        /** Directory of the spool's segment files (created when missing). */
        @WithDefault("data/outcome-spool")
        String spoolDir();

        /** Size at which a spool segment is closed and a new one begun. */
        @WithDefault("16777216")
        long spoolSegmentBytes();

        /** Longest wait for one Redis call; a slower Redis counts as down and records are spooled. */
        @WithDefault("2s")
        Duration redisTimeout();

        /** Upper bound of the backoff between attempts to reach Redis again. */
        @WithDefault("5s")
        Duration maxRetryBackoff();

        /** How many of the newest outcomes teach latency and answer length at start-up. */
        @WithDefault("2000")
        int warmUpOutcomes();
    }

    /** {@code router.feedback.*} */
    interface Feedback {

        /** How long feedback is kept (its key and the {@code router:feedback} stream's entries). */
        @WithDefault("30d")
        Duration retention();

        /**
         * The most feedback samples one tenant counts for per expert and domain, against the quality
         * prior's weight of 20: with 2, one tenant moves an estimate by at most 2/22 of the way to its
         * scores, so it cannot flip a ranking on its own. Raise it for a single-tenant deployment.
         */
        @WithDefault("2")
        double maxSamplesPerTenant();
    }

    /** Retraining the router from outcomes ({@code router.retrain.*}). */
    Retrain retrain();

    /** What a retrained candidate must show before it may serve ({@code router.gates.*}). */
    Gates gates();

    /** A candidate scored beside the serving router without deciding ({@code router.shadow.*}). */
    Shadow shadow();

    /** Retraining: base data plus outcomes whose feedback corrected the domain. */
    interface Retrain {

        /**
         * Retrain on this interval (e.g. {@code 24h}); unset, the default, never retrains on a
         * schedule ({@code POST /admin/router/retrain} and the {@code retrain} command still do).
         */
        Optional<Duration> schedule();

        /** Promote a candidate as soon as every gate passes; false leaves promotion to an operator. */
        @WithDefault("true")
        boolean autoPromote();

        /** MMLU directory, read in place; a missing one fails the retrain rather than changing the data. */
        @WithDefault("../shared/data/mmlu")
        String mmluDir();

        /** The project's own examples per domain. */
        @WithDefault("config/domains")
        String examplesDir();

        /**
         * Where base-data embeddings are kept between runs (keyed by sha256 of embedder and text);
         * unset: {@code <models-dir>/.embedding-cache}.
         */
        Optional<String> embeddingCacheDir();

        /**
         * How many times a corrected outcome of a fully trusted tenant counts in training, against 1
         * for a base example; a tenant's {@code trust} (tenants.yaml) scales it (rounded, at least 1).
         */
        @WithDefault("3")
        int correctionWeight();

        /**
         * The most corrected outcomes one tenant's requests teach a retrain (its newest ones), so one
         * tenant with a key cannot flood the outcome log with corrections to a wrong domain and steer
         * the candidate; a tenant with trust 0 teaches none. At the default weight of 3, 200
         * corrections count as 600 rows against the base data's few thousand. At least 1; raise it
         * for a single-tenant deployment.
         */
        @WithDefault("200")
        int maxCorrectionsPerTenant();

        /** How far back outcomes are read. */
        @WithDefault("30d")
        Duration window();

        /** At most this many outcomes are read (the oldest within the window first, as the outcome history reads them). */
        @WithDefault("20000")
        int maxOutcomes();

        /** Ensemble members of a retrained candidate. */
        @WithDefault("3")
        int members();

        /**
         * 0 ships the early-stopped members (fast); K >= 2 refits K members on K-1 folds each, as the
         * shipped versions were built (better calibrated, about K more member trainings).
         */
        @WithDefault("0")
        int refitFolds();

        /** Most epochs a member trains (early stopping usually ends it sooner). */
        @WithDefault("60")
        int epochs();

        /** The quality predictor the retrain also trains from rated outcomes ({@code router.retrain.quality.*}). */
        Quality quality();

        /** {@code router.retrain.quality.*}; values out of range stop start-up. */
        interface Quality {

            /** Fewer rated outcomes (with an embedding from the serving embedder) than this: no predictor is trained. */
            @WithDefault("300")
            int minRatedOutcomes();

            /** A feedback score at or above this counts as a good answer, in (0, 1]. */
            @WithDefault("0.5")
            double goodThreshold();

            /** What a jury rating weighs against a user's 1.0, >= 0 (0 ignores the jury). */
            @WithDefault("0.5")
            double juryWeight();

            /** The newest share of rated outcomes the gate judges on (never trained on), in (0, 1). */
            @WithDefault("0.2")
            double heldOutShare();

            /** Most epochs the predictor trains (early stopping usually ends it sooner). */
            @WithDefault("80")
            int epochs();

            /**
             * The most rated outcomes one tenant's requests teach the predictor (its newest ones; jury
             * verdicts on its requests included), each weighing its tenant's {@code trust}; a tenant
             * with trust 0 teaches none. At least 1; raise it for a single-tenant deployment.
             */
            @WithDefault("2000")
            int maxRatedPerTenant();

            /**
             * Fewer rated whole answers of an expert (outcomes with answer checks) than this: its
             * answer verifier is not refitted (the serving one, if any, is kept). At least 20.
             */
            @WithDefault("300")
            int verifierMinRated();

            /** The held-out AUC an answer verifier must reach to serve, in (0.5, 1). */
            @WithDefault("0.65")
            double verifierMinAuc();
        }
    }

    /** Promotion gates, judged on the candidate's regression set against the serving router. */
    interface Gates {

        /** Held-out macro recall may fall at most this far below the serving router's. */
        @WithDefault("0.01")
        double recallEpsilon();

        /** Largest share of regression rows the serving router gets right and the candidate wrong. */
        @WithDefault("0.03")
        double maxNegativeFlipRate();

        /** Largest expected calibration error (15 bins) of the candidate on the regression set. */
        @WithDefault("0.08")
        double maxEce();
    }

    /** Shadow scoring: a candidate re-classifies a share of served outcomes' embeddings, off the request path. */
    interface Shadow {

        /** Share of outcomes the shadow scores, 0..1; 0 (default) turns shadowing off. */
        @WithDefault("0")
        double share();

        /** Outcomes waiting to be scored; beyond it they are dropped and counted. */
        @WithDefault("1000")
        int queueSize();

        /** The version to shadow from start-up; unset: the last retrained candidate that was not promoted. */
        Optional<String> version();
    }
    /** Tenant rate limits and budgets: replicas and the Redis timeout ({@code router.tenancy.*}). */
    TenancySettings tenancy();
    /** Conversation affinity's memory (the policy's {@code affinity} block says whether it applies). */
    Affinity affinity();

    /** Where conversations are remembered: Redis, shared by replicas, with this replica's memory beside it. */
    interface Affinity {

        /**
         * Longest wait for Redis to answer a lookup. The lookup runs while the prompt is embedded,
         * so a healthy Redis (well under 1 ms) costs nothing; past this bound the replica's own
         * memory answers and Redis is left alone for a second.
         */
        @WithDefault("50ms")
        Duration redisTimeout();

        /** Conversations this replica remembers itself (least recently used ones are forgotten first). */
        @WithDefault("100000")
        int localCapacity();
    }
    /**
     * What a quality prior is worth in rated outcomes when a quality predictor serves: an expert's
     * expected quality for a prompt is (n x predicted + k x per-domain estimate) / (n + k), n being
     * the weighted count of its rated outcomes the predictor learned from. 0 trusts predictions alone.
     */
    @WithDefault("50")
    double qualityPriorWeight();
    /**
     * Forced requests ({@code model: <expert id>}) are classified for the record after their answer
     * has left, on one low-priority thread: at most this many wait; beyond it they are dropped and
     * counted ({@code router.classification.record.dropped}), and their outcome carries no embedding.
     */
    @WithDefault("256")
    int recordClassificationQueue();

    /** The share of one core the after-the-answer classification may use, in (0, 1]. */
    @WithDefault("0.25")
    double recordClassificationCpuShare();

    /** A jury of judge experts rating a sample of answers as feedback of source {@code jury} ({@code router.jury.*}). */
    Jury jury();

    /** {@code router.jury.*}: off unless {@code sample-share} > 0; bad values stop start-up. */
    interface Jury {

        /** Expert ids (from experts.yaml) that judge; required when the jury is on. Simulated experts can judge. */
        Optional<java.util.List<String>> judges();

        /** Share of answered (non-streamed) requests the jury rates, 0..1; 0 (default) turns the jury off. */
        @WithDefault("0")
        double sampleShare();

        /** The jury may spend at most this share of the traffic's spend so far, in (0, 1]. */
        @WithDefault("0.05")
        double maxSpendShare();

        /** Answers waiting for the jury; beyond it they are not rated (and counted). */
        @WithDefault("64")
        int queueSize();

        /** Longest wait for one judge's verdict; a judge that takes longer does not vote. */
        @WithDefault("30s")
        Duration judgeTimeout();
    }
}
