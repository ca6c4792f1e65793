package dev.expertrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.expertrouter.config.ConfigLoader;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.PolicyConfig.Affinity.TopicCheck;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.ExpertAvailability;
import dev.expertrouter.routing.RoutingDecision;
import dev.expertrouter.routing.RoutingRequest;
import dev.expertrouter.routing.affinity.AffinityOutcome;
import dev.expertrouter.routing.affinity.AffinityRule;
import dev.expertrouter.routing.affinity.ConversationAffinity;
import dev.expertrouter.routing.affinity.LocalAffinityStore;
import dev.expertrouter.routing.classifier.EmbeddingClassifier;
import dev.expertrouter.routing.classifier.RouterModel;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import dev.expertrouter.routing.classifier.RouterModelLoader;
import dev.expertrouter.routing.policy.ExpertStats;
import dev.expertrouter.routing.policy.PolicyEngine;
import dev.expertrouter.routing.serving.EmbeddingPool;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Issue #16's measurements with the serving router model and the shipped config: (1) macro recall
 * on the held-out chat-style prompts of {@code config/domains-chat-eval/} beside the model's
 * MMLU test score; (2) on the multi-turn set of {@code bench/conversations/multi-turn.yaml}, how
 * often a conversation changes expert (or domain) at a follow-up without a real topic change,
 * with affinity off and on, and whether real topic changes still switch; (3) what affinity itself
 * adds to a decision (conversation id, store lookup, rule, remembering), in a plain timed loop.
 * Run: {@code bench/conversations/run.sh} (see bench/conversations/README.md).
 */
public final class ConversationBench {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String ANSWER = "Sure, here is my answer.";

    /** One conversation: its user turns in order, and (for a topic change) the index and domain of the change. */
    record Conversation(String domain, boolean system, List<String> userTurns, int changeAt, String changeTo) {
        ChatPrompt upTo(int turn, String systemPrompt) {
            List<Turn> turns = new ArrayList<>();
            if (system) {
                turns.add(new Turn("system", systemPrompt));
            }
            for (int i = 0; i <= turn; i++) {
                if (i > 0) {
                    turns.add(new Turn("assistant", ANSWER));
                }
                turns.add(new Turn("user", userTurns.get(i)));
            }
            return new ChatPrompt(turns);
        }
    }

    public static void main(String[] args) throws IOException {
        Path models = Path.of(args.length > 0 ? args[0] : "router-models");
        Path dir = Path.of(args.length > 1 ? args[1] : "bench/conversations");
        Path configDir = Path.of(args.length > 2 ? args[2] : "config");
        RouterConfig config = new ConfigLoader(name -> null).load(configDir);
        EmbeddingClassifier classifier = EmbeddingClassifier.fromModelsDir(models, Optional.empty());
        PolicyConfig policy = config.policy(config.defaultPolicy()).orElseThrow();
        TenantConfig tenant = config.tenants().get(0);
        PolicyEngine engine = new PolicyEngine(ExpertAvailability.ALWAYS, new ExpertStats());
        System.out.printf(Locale.ROOT, "router %s, policy %s (affinity %s), host %s, %d cpus, %s%n", classifier.version(),
                policy.name(), policy.affinity(), RouterBenchmarkCpu.model(), Runtime.getRuntime().availableProcessors(),
                Instant.now());

        String only = System.getProperty("only", "");
        if (only.isEmpty() || only.equals("chat")) {
            // The held-out set training scores too (TrainingReport); here through the serving path.
            chatEval(classifier, models, configDir.resolve("domains-chat-eval"));
        }
        if (only.isEmpty() || only.equals("turns")) {
            for (TopicCheck check : TopicCheck.values()) {
                multiTurn(classifier, engine, config, tenant, policy, dir.resolve("multi-turn.yaml"), check);
            }
        }
        if (only.isEmpty() || only.equals("cost")) {
            affinityCost(engine, config, tenant, policy);
            topicCheckCost(classifier, policy, dir.resolve("multi-turn.yaml"));
        }
        if (only.isEmpty() || only.equals("decision")) {
            decisionCost(classifier, policy, dir.resolve("multi-turn.yaml"));
        }
    }

    // ---- (1) chat-style held-out score -------------------------------------------------------

    static void chatEval(EmbeddingClassifier classifier, Path models, Path dir) throws IOException {
        Map<String, int[]> perDomain = new TreeMap<>(); // domain -> {right, total}
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        int right = 0;
        int total = 0;
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            JsonNode root = YAML.readTree(file.toFile());
            String domain = root.path("domain").asText();
            for (JsonNode example : root.path("examples")) {
                String routed = classifier.classify(new ChatPrompt(List.of(new Turn("user", example.asText())))).domain();
                int[] counts = perDomain.computeIfAbsent(domain, d -> new int[2]);
                counts[1]++;
                total++;
                if (routed.equals(domain)) {
                    counts[0]++;
                    right++;
                } else {
                    confusion.computeIfAbsent(domain, d -> new TreeMap<>()).merge(routed, 1, Integer::sum);
                }
            }
        }
        double macro = perDomain.values().stream().mapToDouble(c -> (double) c[0] / c[1]).average().orElse(0);
        String version = RouterModelLoader.servingVersion(models, Optional.empty());
        JsonNode test = new ObjectMapper().readTree(models.resolve(version).resolve("metadata.json").toFile())
                .path("metrics").path("test");
        System.out.printf(Locale.ROOT, "%n## chat-style held-out prompts (%d, %s)%n", total, dir);
        System.out.printf(Locale.ROOT, "macro recall %.3f, accuracy %.3f; MMLU test split of %s: macro recall %.3f, accuracy %.3f%n",
                macro, (double) right / total, version, test.path("macroRecall").asDouble(), test.path("accuracy").asDouble());
        perDomain.forEach((d, c) -> System.out.printf(Locale.ROOT, "  %-10s recall %.2f (%d/%d)  misrouted to %s%n", d,
                (double) c[0] / c[1], c[0], c[1], confusion.getOrDefault(d, Map.of())));
    }

    // ---- (2) switch rate on multi-turn conversations -----------------------------------------

    static List<Conversation> conversations(Path file) throws IOException {
        JsonNode root = YAML.readTree(file.toFile());
        List<String> followUps = new ArrayList<>();
        root.path("follow-ups").forEach(f -> followUps.add(f.asText()));
        List<Conversation> out = new ArrayList<>();
        int n = 0;
        int nextFollowUp = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("openings").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> domain = it.next();
            for (JsonNode opening : domain.getValue()) {
                List<String> turns = new ArrayList<>(List.of(opening.asText()));
                int followUpCount = 1 + n % 3; // 2, 3 or 4 turns
                for (int i = 0; i < followUpCount; i++) {
                    turns.add(followUps.get(nextFollowUp++ % followUps.size()));
                }
                out.add(new Conversation(domain.getKey(), n % 3 == 0, turns, -1, null));
                n++;
            }
        }
        for (JsonNode change : root.path("topic-changes")) {
            out.add(new Conversation(change.path("from").asText(), n % 3 == 0, List.of(change.path("opening").asText(),
                    change.path("change").asText(), followUps.get(nextFollowUp++ % followUps.size())), 1,
                    change.path("to").asText()));
            n++;
        }
        return out;
    }

    /** What one routing mode did with one conversation, turn by turn. */
    record Route(List<String> experts, List<String> domains, List<Optional<AffinityOutcome>> verdicts, List<String> reasons) {
    }

    static void multiTurn(EmbeddingClassifier classifier, PolicyEngine engine, RouterConfig config, TenantConfig tenant,
            PolicyConfig policy, Path file, TopicCheck check) throws IOException {
        JsonNode root = YAML.readTree(file.toFile());
        String systemPrompt = root.path("system-prompt").asText();
        List<Conversation> all = conversations(file);
        PolicyConfig off = withAffinity(policy, PolicyConfig.Affinity.OFF);
        PolicyConfig on = withAffinity(policy, policy.affinity().enabled() ? policy.affinity()
                : new PolicyConfig.Affinity(true, 0.85, Duration.ofMinutes(30)));
        ConversationAffinity offAffinity = new ConversationAffinity(new LocalAffinityStore(10_000, System::nanoTime),
                new SimpleMeterRegistry());
        ConversationAffinity onAffinity = new ConversationAffinity(new LocalAffinityStore(10_000, System::nanoTime),
                new SimpleMeterRegistry());
        int[] request = {0};
        int plain = 0;
        int switchedOff = 0;
        int domainChangedOff = 0;
        int switchedOn = 0;
        int domainChangedOn = 0;
        int changes = 0;
        int changeDomainOff = 0;
        int changeSwitchedOn = 0;
        int changeStaysAfter = 0;
        int turns = 0;
        int[] twoTurn = new int[3]; // conversations, switched off, switched on
        Map<String, Integer> followUpDomainsOff = new TreeMap<>();
        List<String> stillSwitching = new ArrayList<>();
        List<String> missedChanges = new ArrayList<>();
        for (int c = 0; c < all.size(); c++) {
            Conversation conv = all.get(c);
            // every conversation gets its own tenant-free opening; a per-conversation system prompt
            // suffix is not needed: openings are distinct
            List<Classification> verdicts = new ArrayList<>();
            List<Classification> alone = new ArrayList<>();
            for (int t = 0; t < conv.userTurns().size(); t++) {
                ChatPrompt prompt = conv.upTo(t, systemPrompt);
                Classification routed = classifier.classify(prompt);
                verdicts.add(routed);
                // as the gateway does: the last turn read for the topic check, when it is not the routed text
                alone.add(ConversationAffinity.turnAlone(prompt, on, false, false)
                        .map(turn -> check == TopicCheck.CONTEXT ? classifier.classifyInContext(prompt, turn).turnAlone()
                                : classifier.classify(turn))
                        .orElse(routed));
            }
            turns += verdicts.size();
            Route before = route(conv, verdicts, alone, systemPrompt, offAffinity, engine, config, tenant, off, request);
            Route after = route(conv, verdicts, alone, systemPrompt, onAffinity, engine, config, tenant, on, request);
            if (conv.changeAt() < 0) {
                plain++;
                if (conv.userTurns().size() == 2) {
                    twoTurn[0]++;
                    twoTurn[1] += changesAnywhere(before.experts()) ? 1 : 0;
                    twoTurn[2] += changesAnywhere(after.experts()) ? 1 : 0;
                }
                if (changesAnywhere(before.experts())) {
                    switchedOff++;
                }
                if (changesAnywhere(before.domains())) {
                    domainChangedOff++;
                }
                for (int t = 1; t < before.domains().size(); t++) {
                    followUpDomainsOff.merge(conv.domain() + "->" + before.domains().get(t), 1, Integer::sum);
                }
                if (changesAnywhere(after.experts())) {
                    switchedOn++;
                    stillSwitching.add(conv.userTurns() + " " + after.domains() + " " + after.experts() + " "
                            + after.reasons());
                }
                if (changesAnywhere(after.domains())) {
                    domainChangedOn++;
                }
            } else {
                changes++;
                int at = conv.changeAt();
                if (before.domains().get(at).equals(conv.changeTo())) {
                    changeDomainOff++;
                }
                if (after.verdicts().get(at).orElse(null) == AffinityOutcome.SWITCHED
                        && !after.experts().get(at).equals(after.experts().get(at - 1))) {
                    changeSwitchedOn++;
                } else {
                    missedChanges.add(conv.userTurns().get(at) + " (" + conv.changeTo() + "): alone "
                            + alone.get(at).domain() + String.format(Locale.ROOT, " %.2f", alone.get(at).confidence())
                            + " " + after.verdicts().get(at));
                }
                if (after.experts().get(at + 1).equals(after.experts().get(at))) {
                    changeStaysAfter++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n## multi-turn set, topic-check %s: %d conversations (%d without a topic change, %d with one), %d turns, policy %s%n",
                check.yamlName(), all.size(), plain, changes, turns, policy.name());
        System.out.printf(Locale.ROOT, "without a topic change, conversations that changed at a follow-up:%n");
        System.out.printf(Locale.ROOT, "  affinity off: expert %d/%d = %.1f %%, domain %d/%d = %.1f %%%n", switchedOff, plain,
                100.0 * switchedOff / plain, domainChangedOff, plain, 100.0 * domainChangedOff / plain);
        System.out.printf(Locale.ROOT, "  affinity on:  expert %d/%d = %.1f %%, conversation domain %d/%d = %.1f %%%n",
                switchedOn, plain, 100.0 * switchedOn / plain, domainChangedOn, plain, 100.0 * domainChangedOn / plain);
        System.out.printf(Locale.ROOT, "  two-turn conversations alone (%d): expert changed %.1f %% off, %.1f %% on%n", twoTurn[0],
                100.0 * twoTurn[1] / twoTurn[0], 100.0 * twoTurn[2] / twoTurn[0]);
        System.out.printf(Locale.ROOT, "with a real topic change (%d):%n", changes);
        System.out.printf(Locale.ROOT, "  affinity off: routed to the new domain at the change %d/%d = %.1f %%%n",
                changeDomainOff, changes, 100.0 * changeDomainOff / changes);
        System.out.printf(Locale.ROOT, "  affinity on:  switched expert at the change %d/%d = %.1f %%; the follow-up after it stayed %d/%d%n",
                changeSwitchedOn, changes, 100.0 * changeSwitchedOn / changes, changeStaysAfter, changes);
        Map<String, Integer> offDomainMoves = new LinkedHashMap<>();
        followUpDomainsOff.entrySet().stream().filter(e -> !e.getKey().startsWith(e.getKey().split("->")[1] + "->"))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                .forEach(e -> offDomainMoves.put(e.getKey(), e.getValue()));
        System.out.println("  affinity off, most frequent follow-up domains away from the opening's label: " + offDomainMoves);
        stillSwitching.stream().limit(10).forEach(s -> System.out.println("  still switching: " + s));
        missedChanges.forEach(s -> System.out.println("  topic change kept: " + s));
        if (check == TopicCheck.ALONE) {
            topicSignals(classifier, all, systemPrompt, policy.affinity().switchConfidence());
        }
    }

    /**
     * Which text tells a topic change best: the routed text (the last user turn with context before
     * it when short) or the last user turn alone; per turn after the first, how often each would
     * call a topic change (confident, and a domain other than the opening's) on topicless
     * follow-ups and on real changes.
     */
    static void topicSignals(EmbeddingClassifier classifier, List<Conversation> all, String systemPrompt, double threshold) {
        int[] falseRouted = new int[2];
        int[] falseAlone = new int[2];
        int[] falseAloneNoGeneral = new int[2];
        int[] hitRouted = new int[2];
        int[] hitAlone = new int[2];
        int[] hitAloneNoGeneral = new int[2];
        for (Conversation conv : all) {
            String opening = classifier.classify(conv.upTo(0, systemPrompt)).domain();
            boolean anyRouted = false;
            boolean anyAlone = false;
            boolean anyAloneNoGeneral = false;
            for (int t = 1; t < conv.userTurns().size(); t++) {
                if (t > conv.changeAt() && conv.changeAt() >= 0) {
                    break;
                }
                Classification routed = classifier.classify(conv.upTo(t, systemPrompt));
                Classification alone = classifier.classify(new ChatPrompt(List.of(new Turn("user", conv.userTurns().get(t)))));
                boolean r = routed.confidence() >= threshold && !routed.domain().equals(opening);
                boolean a = alone.confidence() >= threshold && !alone.domain().equals(opening);
                boolean ang = a && !alone.domain().equals("general");
                if (t == conv.changeAt()) {
                    hitRouted[0] += r && routed.domain().equals(conv.changeTo()) ? 1 : 0;
                    hitAlone[0] += a && alone.domain().equals(conv.changeTo()) ? 1 : 0;
                    hitAloneNoGeneral[0] += ang && alone.domain().equals(conv.changeTo()) ? 1 : 0;
                    hitRouted[1]++;
                    hitAlone[1]++;
                    hitAloneNoGeneral[1]++;
                } else {
                    anyRouted |= r;
                    anyAlone |= a;
                    anyAloneNoGeneral |= ang;
                }
            }
            if (conv.changeAt() < 0) {
                falseRouted[0] += anyRouted ? 1 : 0;
                falseAlone[0] += anyAlone ? 1 : 0;
                falseAloneNoGeneral[0] += anyAloneNoGeneral ? 1 : 0;
                falseRouted[1]++;
                falseAlone[1]++;
                falseAloneNoGeneral[1]++;
            }
        }
        System.out.printf(Locale.ROOT, "%n## topic signal at switch-confidence %.2f: false changes (conversations) / real changes detected (to the right domain)%n", threshold);
        System.out.printf(Locale.ROOT, "  routed text:                 %d/%d false, %d/%d detected%n", falseRouted[0], falseRouted[1], hitRouted[0], hitRouted[1]);
        System.out.printf(Locale.ROOT, "  last user turn alone:        %d/%d false, %d/%d detected%n", falseAlone[0], falseAlone[1], hitAlone[0], hitAlone[1]);
        System.out.printf(Locale.ROOT, "  alone, never to general:     %d/%d false, %d/%d detected%n", falseAloneNoGeneral[0], falseAloneNoGeneral[1], hitAloneNoGeneral[0], hitAloneNoGeneral[1]);
    }

    static Route route(Conversation conv, List<Classification> verdicts, List<Classification> alone, String systemPrompt,
            ConversationAffinity affinity, PolicyEngine engine, RouterConfig config, TenantConfig tenant, PolicyConfig policy,
            int[] request) {
        List<String> experts = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        List<Optional<AffinityOutcome>> outcomes = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int t = 0; t < verdicts.size(); t++) {
            ChatPrompt prompt = conv.upTo(t, systemPrompt);
            Classification c = verdicts.get(t);
            ConversationAffinity.Lookup lookup = affinity.lookup(tenant.name(), prompt, Optional.empty(), policy, false)
                    .toCompletableFuture().join();
            String id = "bench-" + ++request[0];
            AffinityRule.Verdict verdict = affinity.apply(lookup, c, alone.get(t),
                    x -> decide(engine, config, tenant, policy, prompt, x), Optional.of(id));
            String expert = verdict.decision().chosen().orElseThrow().expert();
            affinity.onOutcome(outcome(id, policy.name(), expert));
            experts.add(expert);
            domains.add(verdict.outcome().isPresent() ? verdict.domain() : verdict.classification().domain());
            outcomes.add(verdict.outcome());
            reasons.add(verdict.reason());
        }
        return new Route(experts, domains, outcomes, reasons);
    }

    static RoutingDecision decide(PolicyEngine engine, RouterConfig config, TenantConfig tenant, PolicyConfig policy,
            ChatPrompt prompt, Classification c) {
        return engine.select(new RoutingRequest(config, tenant, policy, c, prompt.estimatedTokens(), OptionalInt.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), Optional.empty()));
    }

    static boolean changesAnywhere(List<String> values) {
        return values.stream().distinct().count() > 1;
    }

    static OutcomeRecord outcome(String requestId, String policy, String expert) {
        return new OutcomeRecord(requestId, Instant.now(), "bench", policy, "bench", "general", 1, Map.of(), false, expert,
                List.of(), List.of(), 200, null, 200, false, 1, 1, 1, 0, 0, "0", null, null, 1, null, false, null, false);
    }

    static PolicyConfig withAffinity(PolicyConfig p, PolicyConfig.Affinity affinity) {
        return new PolicyConfig(p.name(), p.defaultExpert(), p.description(), p.weights(), p.limits(), p.allowedExperts(),
                p.deniedExperts(), p.escalation(), p.riskTiers(), p.referenceExpert(), affinity);
    }

    // ---- (3) what affinity adds to a decision ------------------------------------------------

    /**
     * Times what affinity adds to one follow-up's decision with the local store: the conversation id
     * (a SHA-256 over a 1,200-character opening), the lookup, the rule, and remembering the answer.
     * The Redis round trip is not on this path's clock: it runs while the prompt is embedded.
     */
    static void affinityCost(PolicyEngine engine, RouterConfig config, TenantConfig tenant, PolicyConfig policy) {
        PolicyConfig on = withAffinity(policy, new PolicyConfig.Affinity(true, 0.85, Duration.ofMinutes(30)));
        ConversationAffinity affinity = new ConversationAffinity(new LocalAffinityStore(100_000, System::nanoTime),
                new SimpleMeterRegistry());
        String system = "You are a helpful assistant for a hospital's patient portal. ".repeat(10);
        int conversations = 5_000;
        List<ChatPrompt> prompts = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            String opening = "#" + i + " My knee has been hurting for two weeks after running, what could it be? ".repeat(8);
            prompts.add(new ChatPrompt(List.of(new Turn("system", system), new Turn("user", opening),
                    new Turn("assistant", ANSWER.repeat(20)), new Turn("user", "shorter please"))));
        }
        Classification c = new Classification("general", 0.6, Map.of("general", 0.6, "medical", 0.4), "bench", null);
        RoutingDecision decision = decide(engine, config, tenant, on, prompts.get(0), c);
        int warmup = 20_000;
        int measured = 50_000;
        double[] us = new double[measured];
        for (int i = 0; i < warmup + measured; i++) {
            ChatPrompt prompt = prompts.get(i % conversations);
            long start = System.nanoTime();
            ConversationAffinity.Lookup lookup = affinity.lookup(tenant.name(), prompt, Optional.empty(), on, false)
                    .toCompletableFuture().join();
            AffinityRule.Verdict verdict = affinity.apply(lookup, c, c, x -> decision, Optional.of("r" + i));
            affinity.onOutcome(outcome("r" + i, on.name(), verdict.decision().chosen().orElseThrow().expert()));
            long took = System.nanoTime() - start;
            if (i >= warmup) {
                us[i - warmup] = took / 1e3;
            }
        }
        Arrays.sort(us);
        System.out.printf(Locale.ROOT, "%n## affinity's own cost per follow-up decision (local store, %d conversations, %d warm-up + %d measured)%n",
                conversations, warmup, measured);
        System.out.printf(Locale.ROOT, "  p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us%n", pct(us, 50), pct(us, 90),
                pct(us, 99), us[us.length - 1]);
    }

    /**
     * The work topic-check {@code context} adds to a follow-up's classification, beside the one
     * embedding pass the routed text needs anyway. Per follow-up of the multi-turn set, in a plain
     * loop, alternately: (a) what follows the pass with {@code context}: picking the turn and its
     * text, finding its word pieces by their offsets in the routed text's encoding, summing their
     * hidden states (a stand-in buffer of the real length), and scoring both vectors
     * ({@link RouterModel#probabilitiesAndHeads}); (b) what follows it with affinity off: scoring the
     * routed vector. Reported: (a), (b), and (a) - (b) paired per follow-up.
     */
    static void topicCheckCost(EmbeddingClassifier classifier, PolicyConfig policy, Path file) throws IOException {
        PolicyConfig on = withAffinity(policy, new PolicyConfig.Affinity(true, 0.85, Duration.ofMinutes(30)));
        String systemPrompt = YAML.readTree(file.toFile()).path("system-prompt").asText();
        MiniLmEmbedder miniLm = new MiniLmEmbedder();
        PromptTextSelector selector = new PromptTextSelector();
        RouterModel model = classifier.model();
        List<ChatPrompt> prompts = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<int[]> starts = new ArrayList<>();
        List<float[][]> vectors = new ArrayList<>();
        for (Conversation conv : conversations(file)) {
            for (int t = 1; t < conv.userTurns().size(); t++) {
                ChatPrompt prompt = conv.upTo(t, systemPrompt);
                Optional<ChatPrompt> turn = ConversationAffinity.turnAlone(prompt, on, false, false);
                if (turn.isPresent()) {
                    String text = selector.select(prompt);
                    prompts.add(prompt);
                    texts.add(text);
                    starts.add(miniLm.tokenStarts(text));
                    vectors.add(miniLm.embedWithTail(text, selector.select(turn.get())));
                }
            }
        }
        float[] hidden = new float[600 * 384];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (float) random.nextGaussian();
        }
        int warmup = 20_000;
        int measured = 50_000;
        double[] with = new double[measured];
        double[] without = new double[measured];
        double[] added = new double[measured];
        double sink = 0;
        for (int i = 0; i < warmup + measured; i++) {
            int k = i % prompts.size();
            float[][] v = vectors.get(k);
            long start = System.nanoTime();
            ChatPrompt turn = ConversationAffinity.turnAlone(prompts.get(k), on, false, false).orElseThrow();
            int from = MiniLmEmbedder.tailFrom(starts.get(k), texts.get(k), selector.select(turn));
            float[] tail = new float[384];
            for (int p = from; p < starts.get(k).length; p++) {
                for (int j = 0; j < 384; j++) {
                    tail[j] += hidden[p * 384 + j];
                }
            }
            double[][] both = model.probabilitiesAndHeads(v[0], v[1]);
            long middle = System.nanoTime();
            double[] alone = model.probabilities(v[0]);
            long end = System.nanoTime();
            sink += both[1][0] + alone[0] + tail[0] + from;
            if (i >= warmup) {
                with[i - warmup] = (middle - start) / 1e3;
                without[i - warmup] = (end - middle) / 1e3;
                added[i - warmup] = with[i - warmup] - without[i - warmup];
            }
        }
        Arrays.sort(with);
        Arrays.sort(without);
        Arrays.sort(added);
        System.out.printf(Locale.ROOT, "%n## topic-check context: the work after the embedding pass, per follow-up (%d follow-ups, %d warm-up + %d measured; %.0f)%n",
                prompts.size(), warmup, measured, sink);
        System.out.printf(Locale.ROOT, "  context:      p50 %.1f us, p90 %.1f us, p99 %.1f us%n", pct(with, 50), pct(with, 90), pct(with, 99));
        System.out.printf(Locale.ROOT, "  affinity off: p50 %.1f us, p90 %.1f us, p99 %.1f us%n", pct(without, 50), pct(without, 90),
                pct(without, 99));
        System.out.printf(Locale.ROOT, "  added (paired): p50 %.1f us, p90 %.1f us, p99 %.1f us%n", pct(added, 50), pct(added, 90),
                pct(added, 99));
    }

    // ---- (4) what affinity adds to a decision's classification ------------------------------

    /**
     * Times the classification of follow-up turns the way the gateway classifies them
     * ({@link EmbeddingPool#classifyTurn} on a pool of one thread per core): with affinity off (the
     * routed text alone), with topic-check {@code context} (the turn read inside the routed text's
     * pass) and {@code alone} (the turn embedded on its own, beside it). Every follow-up carries a marker
     * of its own per mode, so every embedding is a cache miss (the worst case: a follow-up never
     * asked before). Modes alternate per prompt, in a rotating order, with 1 and 2 callers.
     */
    static void decisionCost(EmbeddingClassifier classifier, PolicyConfig policy, Path file) throws IOException {
        PolicyConfig on = withAffinity(policy, new PolicyConfig.Affinity(true, 0.85, Duration.ofMinutes(30)));
        String systemPrompt = YAML.readTree(file.toFile()).path("system-prompt").asText();
        List<Conversation> followUps = new ArrayList<>();
        List<Integer> turns = new ArrayList<>();
        for (Conversation conv : conversations(file)) {
            for (int t = 1; t < conv.userTurns().size(); t++) {
                followUps.add(conv);
                turns.add(t);
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx();
        WorkerExecutor workers = vertx.createSharedWorkerExecutor("bench-embedding", cores);
        EmbeddingPool pool = new EmbeddingPool(classifier, workers);
        String[] modes = {"off", "context", "alone"};
        try {
            for (int callers : new int[] {1, 2}) {
                int warmup = 40;
                ConcurrentHashMap<String, Queue<Double>> ms = new ConcurrentHashMap<>();
                int[] alone = {0};
                ExecutorService callerThreads = Executors.newFixedThreadPool(callers);
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    int caller = c;
                    done.add(callerThreads.submit(() -> {
                        for (int i = caller; i < followUps.size(); i += callers) {
                            for (int k = 0; k < modes.length; k++) {
                                String mode = modes[(i + k) % modes.length];
                                Conversation conv = followUps.get(i);
                                int t = turns.get(i);
                                List<String> userTurns = new ArrayList<>(conv.userTurns());
                                // a marker of the same length per mode: every text new, none longer
                                userTurns.set(t, userTurns.get(t) + " (#" + callers + "-" + i + "-m" + ((i + k) % modes.length) + ")");
                                ChatPrompt prompt = new Conversation(conv.domain(), conv.system(), userTurns, conv.changeAt(),
                                        conv.changeTo()).upTo(t, systemPrompt);
                                Optional<ChatPrompt> turnAlone = ConversationAffinity.turnAlone(prompt, on, false, false);
                                long start = System.nanoTime();
                                switch (mode) {
                                    case "off" -> pool.classify(prompt).await().indefinitely();
                                    case "context" -> pool.classifyTurn(prompt, turnAlone, TopicCheck.CONTEXT).await().indefinitely();
                                    default -> pool.classifyTurn(prompt, turnAlone, TopicCheck.ALONE).await().indefinitely();
                                }
                                double took = (System.nanoTime() - start) / 1e6;
                                if (i >= warmup) {
                                    ms.computeIfAbsent(mode, m -> new ConcurrentLinkedQueue<>()).add(took);
                                    if (mode.equals("alone") && turnAlone.isPresent()) {
                                        synchronized (alone) {
                                            alone[0]++;
                                        }
                                    }
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                callerThreads.shutdown();
                System.out.printf(Locale.ROOT, "%n## classification of follow-up turns, %d caller(s), pool of %d threads, %d follow-ups after %d warm-up (%d with a turn alone), every text new%n",
                        callers, cores, ms.get("off").size(), warmup, alone[0]);
                double[] off = ms.get("off").stream().mapToDouble(Double::doubleValue).sorted().toArray();
                for (String mode : modes) {
                    double[] v = ms.get(mode).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    System.out.printf(Locale.ROOT, "  %-7s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms   added to off: p50 %+6.2f ms, p99 %+6.2f ms%n",
                            mode, pct(v, 50), pct(v, 90), pct(v, 99), pct(v, 50) - pct(off, 50), pct(v, 99) - pct(off, 99));
                }
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            vertx.close();
        }
    }

    static double pct(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The host's CPU, for the record. */
    static final class RouterBenchmarkCpu {
        static String model() {
            try {
                return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown cpu");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
